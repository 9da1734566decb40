using BlazorForecast.Forecasting.Evaluation;

namespace BlazorForecast.Forecasting.Tests.Evaluation;

public class ErrorMetricsTests
{
    [Fact]
    public void Metrics_MatchHandComputedValues()
    {
        // actual 10, 12, 8; predicted 11, 11, 8; origin 9 for all.
        var accumulator = new ErrorAccumulator(maseScale: 2);
        accumulator.Add(10, 11, 9);
        accumulator.Add(12, 11, 9);
        accumulator.Add(8, 8, 9);

        var m = accumulator.Result();

        Assert.Equal(2 / 3.0, m.Mse, 12);
        Assert.Equal(Math.Sqrt(2 / 3.0), m.Rmse, 12);
        Assert.Equal(2 / 3.0, m.Mae, 12);
        Assert.Equal(100 * ((0.1 + (1 / 12.0) + 0) / 3), m.Mape, 10);
        Assert.Equal(100 * (((2 / 21.0) + (2 / 23.0) + 0) / 3), m.Smape, 10);
        Assert.Equal(1 - (2 / 8.0), m.R2, 12); // SST = 0 + 4 + 4 around mean 10
        Assert.Equal(1 / 3.0, m.Mase, 12);
        Assert.Equal(1.0, m.DirectionalAccuracy, 12); // up/up, up/up, down/down
        Assert.Equal(2 / 3.0, m.UpRate, 12);
        Assert.Equal(2 / 3.0, m.MajorityRate, 12);
        Assert.Equal(3, m.Count);
    }

    [Fact]
    public void Direction_WrongSignsCountAsMisses_FlatActualsAreLeftOut()
    {
        var accumulator = new ErrorAccumulator(1);
        accumulator.Add(11, 9, 10);
        accumulator.Add(10, 12, 10);

        var m = accumulator.Result();

        Assert.Equal(0, m.DirectionalAccuracy);
        Assert.Equal(1, m.UpRate);
    }

    [Fact]
    public void Mape_SkipsZeroActuals()
    {
        var accumulator = new ErrorAccumulator(1);
        accumulator.Add(0, 1, double.NaN);
        accumulator.Add(10, 11, double.NaN);

        Assert.Equal(10, accumulator.Result().Mape, 12);
        Assert.True(double.IsNaN(accumulator.Result().DirectionalAccuracy));
    }

    [Fact]
    public void NaiveScale_IsMeanAbsoluteOneStepChange() =>
        Assert.Equal((1 + 2 + 3) / 3.0, ErrorAccumulator.NaiveScale([1, 2, 0, 3]), 12);
}
