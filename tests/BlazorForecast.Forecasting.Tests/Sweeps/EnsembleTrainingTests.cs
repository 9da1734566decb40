using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Sweeps;

public sealed class EnsembleTrainingTests
{
    private static readonly TimeSeriesFrame Frame = GeneratedPrices.Generate(400, new ReturnProcess(), seed: 5);

    private static readonly ForecastConfig[] Members =
    [
        Config(ModelKind.Mlp, 16, hidden: 8),
        Config(ModelKind.DLinear, 24, hidden: 8),
    ];

    private static ForecastConfig Config(ModelKind kind, int lookback, int hidden) => new()
    {
        Transform = TargetTransform.LogReturn,
        Lookback = lookback,
        Horizon = 2,
        Model = new ModelOptions { Kind = kind, HiddenSize = hidden, Layers = 1 },
        Training = new TrainingOptions { MaxEpochs = 3, Seeds = 2, Device = DeviceChoice.Cpu },
    };

    [Fact]
    public void EachMember_TrainsInThePlaceOfAFold_AndTheBlendEqualsBlendingSeparateRuns()
    {
        var reports = new List<TrainingProgress>();

        var ensemble = EnsembleTraining.Run(Frame, Members, SweepEnsemble.TopK, new Collect(reports));

        var epochs = reports.OfType<EpochCompleted>().ToList();
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1)], epochs.Select(e => (e.Fold, e.SeedIndex)).Distinct());
        Assert.Equal(4, reports.OfType<PartTrained>().Count());
        var separate = ForecastBlend.Of(Frame, Members.Select(m => ForecastRunner.Run(Frame, m)).ToList(), SweepEnsemble.TopK);
        AssertSame(separate.Test.Model.Original.Overall.Rmse, ensemble.Blend.Test.Model.Original.Overall.Rmse);
        Assert.Equal([0.5, 0.5], ensemble.Blend.Weights);
        Assert.Equal(StopReason.MaxEpochs, ensemble.Outcome.StopReason);
    }

    [Fact]
    public void AStoppedEnsemble_ResumesFromItsPartsAndCheckpoint_ToTheSameBlend()
    {
        var whole = EnsembleTraining.Run(Frame, Members, SweepEnsemble.Greedy);

        // Stop in the second member's first seed, after its second epoch; keep what a run stores.
        using var stop = new CancellationTokenSource();
        var parts = new List<PartTrained>();
        TrainingCheckpoint? last = null;
        var progress = new Collect([], p =>
        {
            if (p is PartTrained part)
            {
                parts.Add(part);
            }
            else if (p is EpochCompleted { Fold: 1, SeedIndex: 0, Epoch: 2 })
            {
                stop.Cancel();
            }
        });
        var stopped = EnsembleTraining.Run(Frame, Members, SweepEnsemble.Greedy, progress, c => last = c, cancellationToken: stop.Token);
        Assert.Equal(StopReason.Cancelled, stopped.Outcome.StopReason);
        Assert.Equal([(0, 0), (0, 1)], parts.Select(p => (p.Fold, p.SeedIndex)));
        Assert.Equal((1, 0, 2), (last!.Fold, last.SeedIndex, last.EpochsDone));

        var resumed = EnsembleTraining.Run(Frame, Members, SweepEnsemble.Greedy, resumeFrom: new ResumePoint(parts, last));

        Assert.Equal(whole.Blend.Weights, resumed.Blend.Weights);
        AssertSame(whole.Blend.Test.Model.Original.Overall.Rmse, resumed.Blend.Test.Model.Original.Overall.Rmse);
    }

    [Fact]
    public void AWalkForwardMember_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => EnsembleTraining.Run(Frame, [Members[0] with { WalkForwardFolds = 3 }], SweepEnsemble.TopK));
    }

    // Networks train in float32, and libtorch's CPU kernels may sum in another order from one call to the next (their
    // blocking follows memory alignment), so two identical trainings agree to float precision, not to the last bit.
    private static void AssertSame(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Abs(expected), $"{actual:R} is not {expected:R} to float precision");

    private sealed class Collect(List<TrainingProgress> into, Action<TrainingProgress>? also = null) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            into.Add(value);
            also?.Invoke(value);
        }
    }
}
