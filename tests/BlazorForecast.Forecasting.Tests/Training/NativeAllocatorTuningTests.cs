using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Training;

public class NativeAllocatorTuningTests
{
    [SkippableFact]
    public void OnGlibcLinux_TheThresholdsAreSet()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && System.Runtime.InteropServices.NativeLibrary.TryLoad("libc.so.6", out _), "The tuning applies to glibc on Linux only.");
        Skip.If(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GLIBC_TUNABLES")), "GLIBC_TUNABLES is set, so the operator's settings win.");

        Assert.True(NativeAllocatorTuning.EnsureApplied());
    }
}
