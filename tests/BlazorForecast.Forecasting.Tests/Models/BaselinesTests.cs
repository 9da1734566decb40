using BlazorForecast.Forecasting.Models;

namespace BlazorForecast.Forecasting.Tests.Models;

public class BaselinesTests
{
    private static readonly double[] Series = [1, 2, 3, 4, 5, 6, 7, 8, 100];

    private static double[] Forecast(BaselineKind kind, int origin = 7, int lookback = 4, int season = 3, int average = 2)
    {
        var forecast = new double[4];
        Baselines.Forecast(kind, Series, origin, lookback, season, average, forecast);
        return forecast;
    }

    [Fact]
    public void Naive_RepeatsTheLastValue() => Assert.Equal([8.0, 8, 8, 8], Forecast(BaselineKind.Naive));

    [Fact]
    public void Drift_ExtendsTheLookbackLine() => Assert.Equal([9.0, 10, 11, 12], Forecast(BaselineKind.Drift));

    [Fact]
    public void SeasonalNaive_RepeatsTheLastSeason() => Assert.Equal([6.0, 7, 8, 6], Forecast(BaselineKind.SeasonalNaive));

    [Fact]
    public void MovingAverage_RepeatsTheRecentMean() => Assert.Equal([7.5, 7.5, 7.5, 7.5], Forecast(BaselineKind.MovingAverage));

    [Theory]
    [InlineData(BaselineKind.Naive)]
    [InlineData(BaselineKind.Drift)]
    [InlineData(BaselineKind.SeasonalNaive)]
    [InlineData(BaselineKind.MovingAverage)]
    public void Baselines_NeverReadPastTheOrigin(BaselineKind kind) =>
        Assert.DoesNotContain(100.0, Forecast(kind));
}
