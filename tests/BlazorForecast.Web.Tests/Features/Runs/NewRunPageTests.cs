using System.Text;
using System.Text.Json;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Runs;

public sealed class NewRunPageTests : AppComponentTestContext
{
    private async Task<int> DatasetAsync()
    {
        var csv = new StringBuilder("Date,Open,Close,Volume\n");
        for (var i = 0; i < 400; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{100 + i % 7},{101 + Math.Sin(i / 4.0)},{1000 + i}\n");
        }

        return (await ImportAsync(csv.ToString(), "Daily")).Id;
    }

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderAt(string uri)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return RenderWithProviders<NewRunPage>();
    }

    [Fact]
    public async Task DatasetFromQuery_IsPreselectedWithItsDefaultTarget()
    {
        var dataset = await DatasetAsync();

        var cut = RenderAt($"runs/new?datasetId={dataset}");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Daily", cut.Find("[data-testid=run-dataset]").TextContent);
            Assert.Equal("Forecasting Close", cut.Find("[data-testid=chosen-targets]").TextContent.Trim());
            Assert.Equal("Lstm", cut.Find("[data-testid=run-model]").TextContent);
        });
    }

    // Weekly values dated on Mondays, over the daily dataset's dates (or, from a later year, over none of them).
    private async Task<int> WeeklyRatesAsync(string name, int fromYear = 2019)
    {
        var csv = new StringBuilder("Date,Rate\n");
        for (var week = 0; week < 70; week++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{new DateTime(fromYear, 12, 30).AddDays(7 * week):yyyy-MM-dd},{2 + Math.Cos(week / 3.0)}\n");
        }

        return (await ImportAsync(csv.ToString(), name)).Id;
    }

    // Opens the add-input dialog, picks the dataset, sets how many days later its values are out, and adds it.
    private static async Task AddInputAsync(IRenderedComponent<Bunit.Rendering.ContainerFragment> cut, int dataset, int delayDays)
    {
        cut.WaitForElement("[data-testid=add-input]").Click();
        cut.WaitForElement("[data-testid=input-dataset]");
        var select = cut.FindComponents<MudBlazor.MudSelect<int>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "input-dataset"));
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(dataset));
        cut.WaitForAssertion(() => Assert.Equal("Rate", cut.Find("[data-testid=input-column]").TextContent));
        cut.Find("input[data-testid=input-delay]").Change(delayDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        cut.Find("[data-testid=input-add]").Click();
    }

    // Starts a two-epoch run from the form, waits for its page, and reads back the config the one run was queued with.
    private async Task<ForecastConfig> LaunchAsync(IRenderedComponent<Bunit.Rendering.ContainerFragment> cut)
    {
        cut.Find("input[data-testid=run-epochs]").Change("2");
        cut.Find("[data-testid=launch-button]").Click();
        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", navigation.Uri));
        var run = Assert.Single((await Services.GetRequiredService<RunService>().QueryAsync(new RunQuery(), Admin)).Items);
        return (await Services.GetRequiredService<RunService>().ConfigAsync(run.Id))!.Value.Config;
    }

    [Fact]
    public async Task AnInputFromAnotherDataset_ShowsItsJoinReportBeforeTraining_AndTheRunReadsIt()
    {
        var dataset = await DatasetAsync();
        var rates = await WeeklyRatesAsync("Rates");
        var cut = RenderAt($"runs/new?datasetId={dataset}");

        await AddInputAsync(cut, rates, delayDays: 9);

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Rates Rate · log return · +9 days", cut.Find("[data-testid=run-inputs] .mud-chip").TextContent.Trim());
            var report = cut.Find("[data-testid=join-report]").TextContent;
            Assert.Contains("393 of 400 rows kept (7 lost), every input from 2020-01-08", report, StringComparison.Ordinal);
            Assert.Contains("Rates Rate: published 9 days after each date ends; carried forward; covers 98.3 % of the rows", report, StringComparison.Ordinal);
        });
        var config = await LaunchAsync(cut);
        var input = Assert.Single(config.Inputs);
        Assert.Equal(($"{rates}", "Rate", "Rates Rate", FeatureKind.LogReturn, TimeSpan.FromDays(9)), (input.Source, input.Column, input.Name, input.As, input.Delay));
    }

    [Fact]
    public async Task AnInputWithNoDatesInCommon_SaysSoBeforeTraining_AndTheRunIsRefused()
    {
        var dataset = await DatasetAsync();
        var later = await WeeklyRatesAsync("Later rates", fromYear: 2030);
        var cut = RenderAt($"runs/new?datasetId={dataset}");

        await AddInputAsync(cut, later, delayDays: 0);

        cut.WaitForAssertion(() => Assert.Contains("Input 'Later rates Rate' has no dates in common with the target: it runs 2030-12-30 to 2032-04-26, the target 2020-01-01 to 2021-02-03.",
            cut.Find("[data-testid=join-problems]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=join-report]"));

        cut.Find("[data-testid=launch-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("has no dates in common with the target", cut.Find("[data-testid=run-problems]").TextContent, StringComparison.Ordinal));
        Assert.Empty((await Services.GetRequiredService<RunService>().QueryAsync(new RunQuery(), Admin)).Items);

        cut.Find("[data-testid=run-inputs] .mud-chip-close-button").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=join-problems]")));
    }

    [Fact]
    public async Task TheDirectionSwitch_ShowsItsOptions_AndTheRunForecastsDirectionsWithThem()
    {
        var dataset = await DatasetAsync();
        var cut = RenderAt($"runs/new?datasetId={dataset}");
        cut.WaitForElement("[data-testid=run-direction]");
        Assert.Empty(cut.FindAll("[data-testid=direction-options]"));

        cut.Find("input[data-testid=run-direction]").Change(true);

        cut.WaitForElement("[data-testid=direction-options]");
        Assert.Empty(cut.FindAll("input[data-testid=direction-gamma]"));
        Assert.True(cut.Find("[data-testid=sweep-button]").HasAttribute("disabled"), "Sweeps search value forecasts only.");
        cut.Find("input[data-testid=direction-dead-zone]").Change("0.1");
        var weighting = cut.FindComponents<MudBlazor.MudSelect<ClassWeighting>>().Single();
        await cut.InvokeAsync(() => weighting.Instance.ValueChanged.InvokeAsync(ClassWeighting.Focal));
        cut.WaitForElement("input[data-testid=direction-gamma]").Change("1.5");
        cut.Find("input[data-testid=direction-threshold]").Change("0.6");
        cut.Find("input[data-testid=direction-oversample]").Change(true);
        var config = await LaunchAsync(cut);
        Assert.Equal(new DirectionTarget { DeadZone = 0.001, Weighting = ClassWeighting.Focal, FocalGamma = 1.5, Threshold = 0.6, Oversample = true }, config.Direction);
        Assert.Equal(TargetTransform.LogReturn, config.Transform);
    }

    [Fact]
    public async Task SeveralTargets_OfferOneModelAcrossThem_AndTheRunTrainsSoWithItsSettings()
    {
        var dataset = await DatasetAsync();
        var cut = RenderAt($"runs/new?datasetId={dataset}");
        cut.WaitForElement("input[data-testid=run-direction]");
        Assert.Empty(cut.FindAll("input[data-testid=run-across]"));

        var targets = cut.FindComponents<MudBlazor.MudSelect<string>>().Single(s => Equals(s.Instance.UserAttributes.GetValueOrDefault("data-testid"), "run-targets"));
        await cut.InvokeAsync(() => targets.Instance.SelectedValuesChanged.InvokeAsync(["Close", "Open"]));
        cut.WaitForElement("input[data-testid=run-across]").Change(true);
        cut.WaitForElement("[data-testid=across-options]");
        Assert.True(cut.Find("input[data-testid=run-direction]").HasAttribute("disabled"), "A direction target is not offered across series.");
        Assert.True(cut.Find("[data-testid=sweep-button]").HasAttribute("disabled"));
        cut.Find("input[data-testid=across-quantile]").Change("50");
        cut.Find("input[data-testid=across-cost]").Change("2");
        cut.Find("input[data-testid=across-embedding]").Change(false);

        var config = await LaunchAsync(cut);

        Assert.Equal(["Close", "Open"], config.Targets);
        Assert.Equal(new UniverseOptions { Embedding = false, Quantile = 0.5, CostPerTrade = 0.0002 }, config.AcrossTargets);
        Assert.Null(config.Direction);
    }

    [Fact]
    public async Task AcrossTheTargets_AnInputFromAnotherDataset_JoinsAsOneMoreSeries()
    {
        var dataset = await DatasetAsync();
        var rates = await WeeklyRatesAsync("Rates");
        var cut = RenderAt($"runs/new?datasetId={dataset}");

        await AddInputAsync(cut, rates, delayDays: 0);
        cut.WaitForElement("input[data-testid=run-across]").Change(true);
        cut.WaitForElement("[data-testid=across-options]");

        var config = await LaunchAsync(cut);

        Assert.Equal(["Close", "Rates Rate"], config.Targets);
        Assert.Equal(FeatureKind.Raw, Assert.Single(config.Inputs).As);
        Assert.NotNull(config.AcrossTargets);
    }

    [Fact]
    public async Task ADirectionRunWithAnchoring_ListsTheProblem_AndStartsNothing()
    {
        var dataset = await DatasetAsync();
        var cut = RenderAt($"runs/new?datasetId={dataset}");
        cut.WaitForElement("input[data-testid=run-direction]").Change(true);
        cut.WaitForElement("[data-testid=direction-options]");
        cut.FindAll("input[type=checkbox]").Single(i => i.ParentElement!.ParentElement!.TextContent.Contains("Anchor to last value", StringComparison.Ordinal)).Change(true);

        cut.Find("[data-testid=launch-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("a direction model outputs the probability of a rise, so turn anchoring off", cut.Find("[data-testid=run-problems]").TextContent, StringComparison.Ordinal));
        Assert.Empty((await Services.GetRequiredService<RunService>().QueryAsync(new RunQuery(), Admin)).Items);
    }

    [Fact]
    public async Task TooLongLookback_ListsTheProblem_AndStartsNothing()
    {
        var dataset = await DatasetAsync();
        var cut = RenderAt($"runs/new?datasetId={dataset}");
        cut.WaitForElement("input[data-testid=run-lookback]").Change("5000");

        cut.Find("[data-testid=launch-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("the lookback (5000) plus horizon (5) is longer than the training segment",
            cut.Find("[data-testid=run-problems]").TextContent, StringComparison.Ordinal));
        Assert.Empty((await Services.GetRequiredService<RunService>().QueryAsync(new RunQuery(), Admin)).Items);
    }

    [Fact]
    public async Task ValidForm_QueuesTheRunAndOpensIt()
    {
        var dataset = await DatasetAsync();
        var cut = RenderAt($"runs/new?datasetId={dataset}");
        cut.WaitForElement("input[data-testid=run-epochs]").Change("3");
        cut.Find("input[data-testid=run-name]").Change("from the form");

        cut.Find("[data-testid=launch-button]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", navigation.Uri));
        var run = Assert.Single((await Services.GetRequiredService<RunService>().QueryAsync(new RunQuery(), Admin)).Items);
        Assert.Equal("from the form", run.Name);
        Assert.Equal(3, run.MaxEpochs);
        var (_, config, _) = (await Services.GetRequiredService<RunService>().ConfigAsync(run.Id))!.Value;
        Assert.Equal(TargetTransform.LogReturn, config.Transform);
        Assert.Equal(["Close"], config.Targets);
    }

    [Fact]
    public async Task Clone_PrefillsTheFormFromTheEarlierRun()
    {
        var dataset = await DatasetAsync();
        var runs = Services.GetRequiredService<RunService>();
        var original = await runs.CreateAsync(new RunRequest(dataset, new ForecastConfig
        {
            Targets = ["Open"],
            Lookback = 21,
            Horizon = 3,
            Model = new ModelOptions { Kind = ModelKind.Gru, HiddenSize = 24 },
        }, "Original"), Admin);

        var cut = RenderAt($"runs/new?cloneOf={original}");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Gru", cut.Find("[data-testid=run-model]").TextContent);
            Assert.Equal("Forecasting Open", cut.Find("[data-testid=chosen-targets]").TextContent.Trim());
            Assert.Equal("21", cut.Find("input[data-testid=run-lookback]").GetAttribute("value"));
            Assert.Equal("Original (clone)", cut.Find("input[data-testid=run-name]").GetAttribute("value"));
        });
    }

    [Fact]
    public async Task Seeds_AndTheIntervalMethod_GoIntoTheRunsConfig()
    {
        var dataset = await DatasetAsync();
        var cut = RenderAt($"runs/new?datasetId={dataset}");
        cut.WaitForElement("input[data-testid=run-seeds]").Change("4");
        cut.WaitForAssertion(() => Assert.Contains("Seeds 42 to 45: each judged on its own", cut.Markup, StringComparison.Ordinal));

        cut.Find("[data-testid=launch-button]").Click();

        var runs = Services.GetRequiredService<RunService>();
        RunSummary? run = null;
        cut.WaitForAssertion(() => run = Assert.Single(runs.QueryAsync(new RunQuery(), Admin).GetAwaiter().GetResult().Items));
        var (_, config, _) = (await runs.ConfigAsync(run!.Id))!.Value;
        Assert.Equal(4, config.Training.Seeds);
        Assert.Equal(BlazorForecast.Forecasting.Evaluation.IntervalMethod.Adaptive, config.Intervals);
        Assert.Equal(4, run.Seeds);
    }

    [Fact]
    public async Task Clone_LaunchedUnchanged_ReproducesEverySettingOfTheOriginal()
    {
        var dataset = await DatasetAsync();
        var runs = Services.GetRequiredService<RunService>();
        var original = await runs.CreateAsync(new RunRequest(dataset, new ForecastConfig
        {
            Targets = ["Close", "Open"],
            Transform = TargetTransform.Return,
            Features =
            [
                new FeatureSpec(FeatureKind.Return, "Close"), new FeatureSpec(FeatureKind.Return, "Open"), new FeatureSpec(FeatureKind.MovingAverage, "Close", 50),
                new FeatureSpec(FeatureKind.ExponentialMovingAverage, "Open", 12), new FeatureSpec(FeatureKind.RelativeStrengthIndex, "Close", 9),
                new FeatureSpec(FeatureKind.RollingVolatility, "Close", 30), new FeatureSpec(FeatureKind.VolumeZScore, "Volume", 10), new FeatureSpec(FeatureKind.DayOfWeek),
            ],
            Lookback = 21,
            Horizon = 3,
            TrainFraction = 0.6,
            TestFraction = 0.25,
            WalkForwardFolds = 2,
            WalkForwardMode = WalkForwardMode.Rolling,
            Model = new ModelOptions { Kind = ModelKind.Cnn, HiddenSize = 24, Layers = 3, Dropout = 0.2, KernelSize = 5, TrendKernel = 13, Heads = 2, AnchorToLastValue = true },
            Training = new TrainingOptions
            {
                MaxEpochs = 7, BatchSize = 16, LearningRate = 2e-3, WeightDecay = 1e-5, Patience = 4, Schedule = LearningRateSchedule.DecayEveryEpoch,
                LearningRatePatience = 2, LearningRateFactor = 0.3, GradientClip = 0.5, MaxWallTime = TimeSpan.FromHours(2), Seed = 7, Seeds = 2,
                Device = DeviceChoice.Cpu,
            },
            Intervals = BlazorForecast.Forecasting.Evaluation.IntervalMethod.SplitConformal,
        }, "Original"), Admin);
        var expected = JsonSerializer.Serialize((await runs.ConfigAsync(original))!.Value.Config, ForecastJson.Options);

        var cut = RenderAt($"runs/new?cloneOf={original}");
        cut.WaitForAssertion(() => Assert.Equal("Original (clone)", cut.Find("input[data-testid=run-name]").GetAttribute("value")));
        cut.Find("[data-testid=launch-button]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/runs/\d+$", navigation.Uri));
        var clone = int.Parse(navigation.Uri.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.NotEqual(original, clone);
        Assert.Equal(expected, JsonSerializer.Serialize((await runs.ConfigAsync(clone))!.Value.Config, ForecastJson.Options));
    }

    [Fact]
    public void NewForm_StartsFromTheEnginesDefaults_WithLogReturnsFiveStepsAhead()
    {
        var defaults = new ForecastConfig();

        Assert.Equal(
            JsonSerializer.Serialize(defaults with { Transform = TargetTransform.LogReturn, Horizon = 5 }, ForecastJson.Options),
            JsonSerializer.Serialize(NewRunPage.FormDefaults, ForecastJson.Options));
    }

    [Fact]
    public async Task SomeoneElsesPrivateDataset_IsNotShown_NotEvenItsColumns()
    {
        var ann = await AddAccountAsync("Ann Member", TeamRole.Member);
        var bob = await AddAccountAsync("Bob Member", TeamRole.Member);
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes("Date,Secret\n2024-01-02,1\n2024-01-03,2\n"));
        var hidden = await Datasets.ImportAsync(csv, "p.csv", "ann only", null, new CsvImportOptions(), ann, Visibility.Private);
        SignInAs(bob);

        var cut = RenderAt($"runs/new?datasetId={hidden.Id}");

        cut.WaitForAssertion(() => Assert.Contains($"There is no dataset {hidden.Id}.", cut.Find("[data-testid=run-problems]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Secret", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("ann only", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneOfASharedRunOnAPrivateDataset_SaysSo_AndShowsNoneOfTheDataset()
    {
        var ann = await AddAccountAsync("Ann Member", TeamRole.Member);
        var bob = await AddAccountAsync("Bob Member", TeamRole.Member);
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{100 + i % 9}\n")).Insert(0, "Date,Secret\n")));
        var hidden = await Datasets.ImportAsync(csv, "p.csv", "ann only", null, new CsvImportOptions(), ann, Visibility.Private);
        var run = await Services.GetRequiredService<RunService>().CreateAsync(
            new RunRequest(hidden.Id, new ForecastConfig { Targets = ["Secret"], Lookback = 10 }, "shared run", Visibility: Visibility.Team), ann);
        SignInAs(bob);

        var cut = RenderAt($"runs/new?cloneOf={run}");

        cut.WaitForAssertion(() => Assert.Contains("This run's dataset is private to its owner", cut.Find("[data-testid=run-problems]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Forecasting Secret", cut.Markup, StringComparison.Ordinal);
    }
}
