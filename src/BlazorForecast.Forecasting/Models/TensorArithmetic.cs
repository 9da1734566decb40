using TorchSharp;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Models;

/// <summary>
/// Tensor sums, differences and squares without temporary Scalars. TorchSharp 0.107's + and - operators create their
/// alpha of 1, and <c>square()</c> its exponent of 2, as temporary Scalars that the garbage collector can finalise
/// while libtorch still reads them; under allocation pressure (long trainings) libtorch then fails with "Unknown
/// scalar type" or a toFloat check. The alphas here live for the whole process, and squares multiply tensor by tensor.
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

    public static Tensor Squared(this Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.mul(value);
    }
}
