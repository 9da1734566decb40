using System.Runtime.InteropServices;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// glibc's malloc moves its mmap and trim thresholds as memory is freed. With libtorch's per-batch tensors of a few
/// hundred kilobytes, that adaptation sometimes leaves a training thread mapping, faulting in and handing back memory
/// on every batch: the same seeded training took 4 s or 20 s of CPU from run to run, the difference spent in the
/// kernel. Fixed thresholds keep such buffers in the heap. Applied once per process, only where glibc is the C
/// library and the operator has not set GLIBC_TUNABLES.
/// </summary>
internal static class NativeAllocatorTuning
{
    private const int TrimThresholdOption = -1;
    private const int MmapThresholdOption = -3;
    private const int MmapThresholdBytes = 32 << 20;
    private const int TrimThresholdBytes = 64 << 20;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>True when the thresholds were set by this process.</summary>
    public static bool EnsureApplied() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GLIBC_TUNABLES")))
        {
            return false;
        }

        try
        {
            return Glibc.mallopt(MmapThresholdOption, MmapThresholdBytes) == 1
                & Glibc.mallopt(TrimThresholdOption, TrimThresholdBytes) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static class Glibc
    {
        [DllImport("libc.so.6", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int mallopt(int parameter, int value);
    }
}
