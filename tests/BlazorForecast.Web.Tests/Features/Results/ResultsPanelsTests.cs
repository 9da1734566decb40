using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Runs;
using Microsoft.Extensions.DependencyInjection;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Tests.Components;
using Bunit;

namespace BlazorForecast.Web.Tests.Features.Results;

public sealed class ResultsPanelsTests : AppComponentTestContext
{
    private static RunResults Results => TrainedResults.Chronological;

    [Fact]
    public void Metrics_ModelBesideEveryBaseline_OneBestValuePerColumn_AndTheVerdict()
    {
        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), Results));

        var rows = cut.FindAll("[data-testid=metrics-row]");
        Assert.Equal(["Model", "Naive", "Drift", "SeasonalNaive", "MovingAverage"], rows.Select(r => r.GetAttribute("data-method")));
        Assert.Equal("Model (Mlp)", rows[0].QuerySelector("td")!.TextContent.Trim());
        for (var column = 1; column <= 6; column++)
        {
            Assert.Single(rows, r => r.QuerySelectorAll("td")[column].HasAttribute("data-best"));
        }

        Assert.Contains(ResultsVerdict.Of(Results, 0.05).Text, cut.Find("[data-testid=verdict]").TextContent, StringComparison.Ordinal);
        Assert.Equal("—", rows[1].QuerySelectorAll("td")[6].TextContent.Trim());
        Assert.Equal(3, cut.FindAll("[data-testid=per-step-table] tbody tr").Count);
    }

    [Fact]
    public void Metrics_Standardised_ShowsTheModelsStandardisedRmse()
    {
        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), Results));
        var model = Results.Folds[0].Test.Model;

        cut.FindAll("[data-testid=metrics-scale] .mud-toggle-item")[1].Click();

        var rmse = cut.FindAll("[data-testid=metrics-row]")[0].QuerySelectorAll("td")[2].TextContent.Trim();
        Assert.Equal(model.Standardized.Overall.Rmse.ToString("G4", CultureInfo.InvariantCulture), rmse);
        Assert.NotEqual(model.Original.Overall.Rmse.ToString("G4", CultureInfo.InvariantCulture), rmse);
    }

    [Fact]
    public void Metrics_WalkForward_ListsEveryFoldWithMeanAndDeviation()
    {
        var results = TrainedResults.Train(walkForwardFolds: 3);

        var cut = RenderWithProviders<MetricsPanel>((nameof(MetricsPanel.Results), results));

        Assert.Equal(4, cut.FindAll("[data-testid=fold-table] tbody tr").Count);
        var rmse = results.Folds.Select(f => f.Test.Model.Original.Overall.Rmse).ToArray();
        Assert.Contains(rmse.Average().ToString("G5", CultureInfo.InvariantCulture), cut.Find("[data-testid=fold-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Predictions_ChartHasEveryTestWindow_AndTheValidationToggleSwitchesSegments()
    {
        var cut = RenderWithProviders<PredictionsPanel>((nameof(PredictionsPanel.Results), Results));
        var fold = Results.Predictions!.Folds[0];

        var chart = cut.Find("[data-testid=prediction-chart]");
        Assert.Equal(fold.Test.Origins.Length.ToString(CultureInfo.InvariantCulture), chart.GetAttribute("data-points"));
        Assert.Contains("80% interval:", cut.Find("[data-testid=coverage]").TextContent, StringComparison.Ordinal);
        Assert.Equal("3", cut.Find("[data-testid=fan-chart]").GetAttribute("data-steps"));

        cut.Find("[data-testid=validation-toggle]").Change(true);

        cut.WaitForAssertion(() =>
        {
            var switched = cut.Find("[data-testid=prediction-chart]");
            Assert.Equal("validation", switched.GetAttribute("data-segment"));
            Assert.Equal(fold.Validation.Origins.Length.ToString(CultureInfo.InvariantCulture), switched.GetAttribute("data-points"));
        });
    }

    [Fact]
    public void Predictions_AnOutsizedMoveInTheTestSegment_IsMarkedAndListed()
    {
        var fold = Results.Predictions!.Folds[0];
        var row = fold.Test.Origins[fold.Test.Origins.Length / 2] + 1;
        var frame = Results.Frame;
        var shocked = new TimeSeriesFrame(frame.Timestamps, frame.Columns
            .Select(c => c.Name == "Close" ? new SeriesColumn(c.Name, c.SourceName, c.Role, c.Values.Select((v, i) => i == row ? v * 1.5 : v).ToArray()) : c).ToList());

        var cut = RenderWithProviders<PredictionsPanel>((nameof(PredictionsPanel.Results), Results with { Frame = shocked }));

        var listed = cut.FindAll("[data-testid=anomaly-row]").Select(r => r.QuerySelectorAll("td")).ToList();
        Assert.Contains(listed, cells => cells[0].TextContent == frame.Timestamps[row].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            && cells[1].TextContent == AnomalyDetector.ForecastError);
        Assert.Equal(listed.Count.ToString(CultureInfo.InvariantCulture), cut.Find("[data-testid=prediction-chart]").GetAttribute("data-anomalies"));
    }

    [Fact]
    public void Risk_ForAPriceTarget_ShowsVarAndThreeBacktests()
    {
        var cut = RenderWithProviders<RiskPanel>((nameof(RiskPanel.Results), Results));

        Assert.Equal(2, cut.FindAll("[data-testid=var-table] tbody tr").Count);
        Assert.Equal(["LongFlat", "LongShort", "BuyAndHold"], cut.FindAll("[data-testid=backtest-row]").Select(r => r.GetAttribute("data-strategy")));
    }

    [Fact]
    public void Risk_AForecastThatAlwaysRises_IsBuyAndHold_AndSaidToBe()
    {
        var set = Results.Predictions!;
        var close = Results.Frame.Find("Close")!.Values;
        var rising = set with
        {
            Folds = [.. set.Folds.Select(f => f with
            {
                Test = f.Test with { Values = f.Test.Values.Select((w, i) => w.Select(s => new[] { (float)(close[f.Test.Origins[i]] * 1.05) }).ToArray()).ToArray() },
            })],
        };

        var cut = RenderWithProviders<RiskPanel>((nameof(RiskPanel.Results), Results with { Predictions = rising }));

        Assert.Equal(["LongFlat", "LongShort"], cut.FindAll("[data-testid=always-long]").Select(a => a.GetAttribute("data-strategy")));
        Assert.Contains("was long on every test day: it is buy-and-hold", cut.Find("[data-testid=always-long]").TextContent, StringComparison.Ordinal);
        var rows = cut.FindAll("[data-testid=backtest-row]");
        Assert.Equal("identical", rows[0].QuerySelector("[data-testid=sharpe-versus]")!.TextContent.Trim());
        Assert.Equal("100 %", rows[0].QuerySelectorAll("td")[7].TextContent.Trim());
        Assert.Matches(@"^-?\d+\.\d\d \[-?\d+\.\d\d, -?\d+\.\d\d\]$", rows[2].QuerySelector("[data-testid=sharpe]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Risk_OfASecondTarget_IsChosenFromTheTargets()
    {
        var results = TrainedResults.Train(0, "Close", "Open");
        var cut = RenderWithProviders<RiskPanel>((nameof(RiskPanel.Results), results));
        Assert.Contains("Risk of holding Close", cut.Markup, StringComparison.Ordinal);

        var select = cut.FindComponent<MudBlazor.MudSelect<int>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(1));

        cut.WaitForAssertion(() => Assert.Contains("Risk of holding Open", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Risk_ForATargetThatIsNotAPrice_ExplainsInsteadOfComputing()
    {
        var frame = Results.Frame;
        var spread = new TimeSeriesFrame(frame.Timestamps, frame.Columns
            .Select(c => c.Name == "Close" ? new SeriesColumn(c.Name, c.SourceName, c.Role, c.Values.Select(v => v - 200).ToArray()) : c).ToList());

        var cut = RenderWithProviders<RiskPanel>((nameof(RiskPanel.Results), Results with { Frame = spread }));

        Assert.Equal("'Close' is not a price series (it needs at least three values, all above zero), so returns, risk and a backtest do not apply.",
            cut.Find("[data-testid=risk-problem]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=backtest-row]"));
    }

    [Fact]
    public void Importance_ListsEveryInput()
    {
        var cut = RenderWithProviders<ImportancePanel>((nameof(ImportancePanel.Results), Results));

        Assert.Equal(Results.Folds[0].Importance.Count, cut.FindAll("[data-testid=importance-table] tbody tr").Count);
    }

    [Fact]
    public async Task ImportedModel_ItsRunPageOffersForecastNow_WithTheNextValuesAndTheirIntervals()
    {
        var csv = new System.Text.StringBuilder();
        await SeriesCsvWriter.WriteAsync(Results.Frame, new StringWriter(csv));
        var dataset = await ImportAsync(csv.ToString(), "prices");
        var trained = ForecastRunner.Run(Results.Frame, Results.Config);
        using var file = new MemoryStream();
        trained.Model.Save(file);
        file.Position = 0;
        var id = await Services.GetRequiredService<RunService>().ImportModelAsync(file, "elsewhere.bfmodel", dataset.Id, null, Admin, 10_000_000);

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=forecast-row]").Count), TimeSpan.FromSeconds(10));
        Assert.Contains("Imported from elsewhere.bfmodel", cut.Find("[data-testid=run-detail]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=result-tabs]"));
        var expected = Forecaster.Forecast(trained.Model, Results.Frame).Values[0][0].ToString("G6", CultureInfo.InvariantCulture);
        Assert.Equal(expected, cut.FindAll("[data-testid=forecast-row]")[0].QuerySelectorAll("td")[2].TextContent.Trim());
    }
}
