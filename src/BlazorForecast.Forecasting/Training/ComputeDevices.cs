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

    /// <summary>The device to train on: CUDA for auto when libtorch reports it, else CPU; cuda when absent is an error.</summary>
    public static Device Resolve(DeviceChoice choice) => choice switch
    {
        DeviceChoice.Cpu => CPU,
        DeviceChoice.Cuda when cuda_is_available() => CUDA,
        DeviceChoice.Cuda => throw new DeviceUnavailableException("The run asks for a GPU (cuda), but libtorch reports no usable GPU on this server; choose Auto or CPU."),
        _ => cuda_is_available() ? CUDA : CPU,
    };

    public static string Describe(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu";
    }
}

/// <summary>The device a run asks for does not exist on this server.</summary>
public sealed class DeviceUnavailableException(string message) : InvalidOperationException(message);
