using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Tests.Components;
using Bunit;

namespace BlazorForecast.Web.Tests.Features.Datasets;

public sealed class SeriesChartTests : AppComponentTestContext
{
    [Fact]
    public void LongOhlcSeries_SendsAtMostMaxPointsAsCandles()
    {
        var frame = SyntheticMarketData.Generate(100_000, seed: 5);

        var cut = Render<SeriesChart>(p => p.Add(c => c.Frame, frame).Add(c => c.MaxPoints, 2000));

        Assert.True(cut.Instance.IsCandlestick);
        Assert.InRange(cut.Instance.PointCount, 1000, 2000);
        Assert.Equal("candlestick", cut.Find("[data-testid=series-chart]").GetAttribute("data-kind"));
    }

    [Fact]
    public void ChosenColumn_IsDrawnAsLine()
    {
        var frame = SyntheticMarketData.Generate(500, seed: 5);

        var cut = Render<SeriesChart>(p => p.Add(c => c.Frame, frame).Add(c => c.Column, "Close"));

        Assert.False(cut.Instance.IsCandlestick);
        Assert.Equal(500 + 500, cut.Instance.PointCount);
    }
}
