using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// Tensors of model inputs made from arrays built in .NET, laid out where libtorch lays out its own tensors. TorchSharp
/// copies such an array into memory it allocates itself, whose alignment varies from call to call, and libtorch's CPU
/// kernels (a layer's matrix product over the batch) sum in an order that depends on it: the same seed then trained
/// losses a few units in the eighth digit apart, so a resumed run or a second run did not end exactly as the first.
/// A copy in libtorch's own (aligned) memory makes CPU training repeat to the last bit.
/// </summary>
public static class BatchTensors
{
    public static Tensor From(float[] values, long[] shape, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var made = tensor(values, shape, device: device);
        if (made.device_type != DeviceType.CPU)
        {
            return made;
        }

        using (made)
        {
            return made.clone();
        }
    }
}
