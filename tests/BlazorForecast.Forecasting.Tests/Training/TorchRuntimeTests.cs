using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Training;

public class TorchRuntimeTests
{
    [Fact]
    public void NativeLibrary_Loads_AndMultipliesMatricesOnCpu()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);

        using var product = matmul(a, b);

        Assert.Equal(new float[] { 19, 22, 43, 50 }, product.data<float>().ToArray());
    }

    [Fact]
    public void NativeLibrary_ComputesGradients()
    {
        using var x = tensor(new[] { 3.0 }, requires_grad: true);
        using var y = x * x;

        y.backward();

        Assert.Equal(6.0, x.grad!.item<double>());
    }

    [Fact]
    public void Probe_ReportsCpuThreads()
    {
        var info = ComputeDevices.Probe();

        Assert.True(info.CpuThreads >= 1);
        Assert.Contains("CPU", info.Summary, StringComparison.Ordinal);
    }
}
