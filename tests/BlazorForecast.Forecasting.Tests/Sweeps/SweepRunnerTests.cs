using System.Text.Json.Nodes;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Tests.Training;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class SweepRunnerTests
{
    private static readonly TimeSeriesFrame Frame = GeneratedPrices.Generate(500, new ReturnProcess(), seed: 4);

    private static readonly ForecastConfig Base = new()
    {
        Transform = TargetTransform.LogReturn,
        Lookback = 16,
        Horizon = 2,
        Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 8, Layers = 1 },
        Training = new TrainingOptions { MaxEpochs = 6, Patience = 6, Device = DeviceChoice.Cpu, Seeds = 2 },
    };

    [Fact]
    public void Run_RanksTrialsOnValidationOnly_AndRetrainsTheBestOnTheBaseSeeds()
    {
        var definition = new SweepDefinition
        {
            Space = Space("""{"hiddenSize": [4, 16], "learningRate": {"logUniform": [0.0005, 0.01]}}"""),
            Method = SweepMethod.Random,
            MaxTrials = 4,
            EarlyStopping = EarlyStoppingRule.None,
        };
        var reported = new List<SweepTrial>();

        var outcome = SweepRunner.Run(Frame, Base, definition, new RunLimits(), reported.Add);

        Assert.Equal(4, outcome.Trials.Count);
        Assert.Equal(outcome.Trials, reported);
        Assert.All(outcome.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        var best = outcome.Trials.MinBy(t => t.Objective)!;
        Assert.Same(best, outcome.Best);
        Assert.Equal(outcome.ChosenConfig, outcome.Result!.Config);
        Assert.Equal(2, outcome.Result.Config.Training.Seeds);
        Assert.Equal(2, outcome.Result.Folds[0].Seeds.Count);
        Assert.Equal(double.Parse(best.Settings[0].Value, System.Globalization.CultureInfo.InvariantCulture), outcome.Result.Config.Model.HiddenSize);
        Assert.Equal(best.Point[1], outcome.Result.Config.Training.LearningRate);

        // The first seed of the retrained model is the trial itself: the same config, seed and data.
        Assert.Equal(best.Objective!.Value, outcome.Result.Folds[0].Seeds[0].Training.BestValidationLoss, 9);
    }

    [Fact]
    public void Run_SuccessiveHalvingStopsTrials_WhichAreMarkedStoppedWithTheEpochsTheyTrained()
    {
        // A learnable series and one learning rate that learns: whatever the grid's order, trials after it fall behind.
        var definition = new SweepDefinition
        {
            Space = Space("""{"learningRate": [0.000001, 0.01, 0.0000012, 0.0000014, 0.0000016, 0.0000018]}"""),
            Method = SweepMethod.Grid,
            Seed = 3,
            MaxTrials = 6,
            EarlyStopping = EarlyStoppingRule.SuccessiveHalving,
            MinEpochs = 1,
            ReductionFactor = 2,
        };
        var sine = SyntheticSeries.Sine(500, noise: 0.1);

        var outcome = SweepRunner.Run(sine, Base with { Transform = TargetTransform.Level, Training = Base.Training with { Seeds = 1 } }, definition, new RunLimits());

        var stopped = outcome.Trials.Where(t => t.State == TrialState.Stopped).ToList();
        Assert.NotEmpty(stopped);
        Assert.All(stopped, t =>
        {
            Assert.InRange(t.EpochsTrained, 1, 5);
            Assert.Contains([1, 2, 4], r => r == t.EpochsTrained);
            Assert.StartsWith($"Stopped early after epoch {t.EpochsTrained}:", t.Detail, StringComparison.Ordinal);
            Assert.NotNull(t.Objective);
        });
        Assert.Equal(stopped.Sum(t => 6 - t.EpochsTrained), outcome.EpochsSavedAtMost);
        Assert.Equal(outcome.Trials.Sum(t => t.EpochsTrained), outcome.EpochsTrained);
        Assert.Equal(TrialState.Complete, outcome.Best!.State);
    }

    [Fact]
    public void Run_ACombinationThatCannotRun_IsAFailedTrialWithTheReason_AndTheSweepGoesOn()
    {
        var transformer = Base with { Model = new ModelOptions { Kind = ModelKind.Transformer, HiddenSize = 24, Heads = 4, Layers = 1 } };
        var definition = new SweepDefinition
        {
            Space = Space("""{"hiddenSize": [24, 20], "heads": [4, 6]}"""),
            Method = SweepMethod.Grid,
            MaxTrials = 4,
            EarlyStopping = EarlyStoppingRule.None,
        };

        var outcome = SweepRunner.Run(Frame, transformer with { Training = transformer.Training with { MaxEpochs = 1, Seeds = 1 } }, definition, new RunLimits());

        var failed = Assert.Single(outcome.Trials, t => t.State == TrialState.Failed);
        Assert.Equal([KeyValuePair.Create("hiddenSize", "20"), KeyValuePair.Create("heads", "6")], failed.Settings);
        Assert.Equal("This combination cannot run: The Transformer's width (20) must be a multiple of its heads (6).", failed.Detail);
        Assert.Equal(3, outcome.Trials.Count(t => t.State == TrialState.Complete));
    }

    [Fact]
    public void Run_ATrialOfTheSameNetworkAsAnEarlierOne_IsNotTrainedAgain_AndSharesItsLoss()
    {
        // DLinear reads no hidden size: its two trials build one network. The MLP's two are different networks.
        var definition = new SweepDefinition
        {
            Space = Space("""{"model": ["DLinear", "Mlp"], "hiddenSize": [4, 16]}"""),
            Method = SweepMethod.Grid,
            MaxTrials = 4,
            EarlyStopping = EarlyStoppingRule.None,
        };

        var outcome = SweepRunner.Run(Frame, Base with { Training = Base.Training with { MaxEpochs = 2, Seeds = 1 } }, definition, new RunLimits());

        var dlinear = outcome.Trials.Where(t => t.Settings[0].Value == "DLinear").OrderBy(t => t.Number).ToList();
        Assert.Equal(2, dlinear.Count);
        Assert.Null(dlinear[0].SameAs);
        Assert.Equal(dlinear[0].Number, dlinear[1].SameAs);
        Assert.Equal((TrialState.Complete, dlinear[0].Objective, 0), (dlinear[1].State, dlinear[1].Objective, dlinear[1].EpochsTrained));
        Assert.Equal($"Not trained: the same network as trial {dlinear[0].Number + 1}, since DLinear does not read the settings that differ. It shares that trial's validation loss.",
            dlinear[1].Detail);
        Assert.All(outcome.Trials.Where(t => t.Settings[0].Value == "Mlp"), t => Assert.Null(t.SameAs));
        Assert.Equal(6, outcome.EpochsTrained);
        Assert.NotEqual(dlinear[1], outcome.Best);
    }

    [Fact]
    public void AsRead_KeepsOnlyTheSettingsAKindReads()
    {
        var wide = new ModelOptions { HiddenSize = 99, Layers = 5, Dropout = 0.4, Bidirectional = true, Heads = 3, KernelSize = 7, TrendKernel = 13, AnchorToLastValue = true };

        Assert.Equal(new ModelOptions { Kind = ModelKind.DLinear, TrendKernel = 13, AnchorToLastValue = true }, (wide with { Kind = ModelKind.DLinear }).AsRead());
        Assert.Equal(wide with { Kind = ModelKind.Gru, Heads = 4, KernelSize = 3, TrendKernel = 25 }, (wide with { Kind = ModelKind.Gru }).AsRead());
        Assert.Equal(wide with { Kind = ModelKind.Transformer, Bidirectional = false, KernelSize = 3, TrendKernel = 25 }, (wide with { Kind = ModelKind.Transformer }).AsRead());
        Assert.Equal(wide with { Kind = ModelKind.Cnn, Bidirectional = false, Heads = 4, TrendKernel = 25 }, (wide with { Kind = ModelKind.Cnn }).AsRead());
        Assert.Equal(wide with { Kind = ModelKind.Mlp, Bidirectional = false, Heads = 4, KernelSize = 3, TrendKernel = 25 }, (wide with { Kind = ModelKind.Mlp }).AsRead());
    }

    [Fact]
    public void Run_ProblemsWithTheSpaceAndTheBudget_AreAllRefusedBeforeTraining()
    {
        var definition = new SweepDefinition
        {
            Space = Space("""{"hiddenSize": {"int": [8, 9000]}, "colour": ["red"]}"""),
            MaxTrials = 0,
            Concurrency = 9,
        };

        var ex = Assert.Throws<SweepSpaceException>(() => SweepRunner.Run(Frame, Base, definition, new RunLimits()));

        Assert.Equal(3, ex.Problems.Count);
        Assert.StartsWith("Unknown setting 'colour'.", ex.Problems[0], StringComparison.Ordinal);
        Assert.Equal("The number of trials must be from 1 to 200 on this server, not 0.", ex.Problems[1]);
        Assert.Equal("Trials at once must be from 1 to 4 on this server, not 9.", ex.Problems[2]);

        var limits = Assert.Throws<SweepSpaceException>(() => SweepRunner.Run(Frame, Base, definition with { Space = Space("""{"hiddenSize": {"int": [8, 9000]}}"""), MaxTrials = 5, Concurrency = 1 }, new RunLimits()));
        Assert.Equal("hiddenSize = 9000: The hidden size is 9,000; this server allows at most 1,024.", Assert.Single(limits.Problems));
    }

    [Fact]
    public void Run_Cancelled_EndsWithTheTrialsSoFarAndNoTestScores()
    {
        using var cancellation = new CancellationTokenSource();
        var definition = new SweepDefinition { Space = Space("""{"hiddenSize": [4, 8, 16]}"""), Method = SweepMethod.Grid, MaxTrials = 3, EarlyStopping = EarlyStoppingRule.None };

        var outcome = SweepRunner.Run(Frame, Base, definition, new RunLimits(), t => cancellation.Cancel(), cancellationToken: cancellation.Token);

        Assert.Single(outcome.Trials);
        Assert.Null(outcome.Result);
    }

    private static JsonObject Space(string json) => (JsonObject)JsonNode.Parse(json)!;
}
