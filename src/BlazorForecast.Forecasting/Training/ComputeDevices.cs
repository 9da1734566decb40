using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>What this process can train on, as libtorch reports it.</summary>
public sealed record ComputeDeviceInfo(bool CudaAvailable, int CudaDeviceCount, int CpuThreads)
{
    public string Summary => CudaAvailable
        ? $"CUDA ({CudaDeviceCount} GPU{(CudaDeviceCount == 1 ? "" : "s")}) and CPU ({CpuThreads} threads)"
        : $"CPU only ({CpuThreads} threads)";
}

public static class ComputeDevices
{
    /// <summary>Loads libtorch (first call) and asks it which devices exist.</summary>
    public static ComputeDeviceInfo Probe()
    {
        var cuda = cuda_is_available();
        return new ComputeDeviceInfo(cuda, cuda ? TorchSharp.torch.cuda.device_count() : 0, get_num_threads());
    }
}
