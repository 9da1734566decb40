using BlazorForecast.Forecasting.Models;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Tests.Models;

public class TensorArithmeticTests
{
    [Fact]
    public void PlusMinusAndSquared_MatchElementwiseArithmetic()
    {
        using var scope = NewDisposeScope();
        var left = tensor(new[] { 1.5f, -2f, 3f });
        var right = tensor(new[] { 0.5f, 4f, -1f });

        Assert.Equal([2f, 2f, 2f], left.Plus(right).data<float>().ToArray());
        Assert.Equal([1f, -6f, 4f], left.Minus(right).data<float>().ToArray());
        Assert.Equal([2.25f, 4f, 9f], left.Squared().data<float>().ToArray());
    }

    // Thousands of small evaluations under allocation pressure: with TorchSharp's own square() (a temporary Scalar
    // exponent) this loop could fail with "Unknown scalar type" once the collector finalised the exponent mid-call.
    [Fact]
    public void Squared_UnderGarbageCollection_KeepsWorking()
    {
        var total = 0.0;
        for (var i = 0; i < 3000; i++)
        {
            using var scope = NewDisposeScope();
            var value = full(new long[] { 8 }, 2f);
            total += value.Squared().sum().item<float>();
            if (i % 100 == 0)
            {
                GC.Collect();
            }
        }

        Assert.Equal(3000 * 8 * 4.0, total);
    }
}
