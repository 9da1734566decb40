using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// Tensor sums and differences with a rooted alpha. TorchSharp 0.107's + and - operators create their alpha of 1 as
/// a temporary Scalar that the garbage collector can finalise while libtorch still reads it; under allocation
/// pressure (long trainings) libtorch then fails with "Unknown scalar type" or a toFloat check. These Scalars live
/// for the whole process, so no call can see a freed one.
/// </summary>
public static class TensorArithmetic
{
    private static readonly Scalar One = 1.0.ToScalar();
    private static readonly Scalar MinusOne = (-1.0).ToScalar();

    public static Tensor Plus(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add(right, One);
    }

    public static Tensor Minus(this Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        return left.add(right, MinusOne);
    }
}
