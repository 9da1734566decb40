using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>How much the test error grows when one input feature is shuffled across windows (standardised MSE).</summary>
public sealed record FeatureImportance(string Feature, double MseIncrease, double Ratio);

/// <summary>
/// Permutation importance on the test segment: each feature's values are shuffled across test windows (whole
/// lookback slices move together), breaking its link to the targets while keeping its distribution.
/// </summary>
public static class PermutationImportance
{
    private const int MaxWindows = 2000;

    public static IReadOnlyList<FeatureImportance> Compute(nn.Module<Tensor, Tensor> model, WindowedProblem problem, Device device, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(problem);
        var origins = problem.TestOrigins;
        if (origins.Length < 2)
        {
            return [];
        }

        // Long test segments are sampled evenly, which keeps the cost bounded without favouring any period.
        if (origins.Length > MaxWindows)
        {
            origins = Enumerable.Range(0, MaxWindows).Select(i => origins[(int)((long)i * origins.Length / MaxWindows)]).ToArray();
        }

        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (x, y) = problem.Batch(origins, device);
        var baseline = Loss(model, problem.Loss, x, y);
        var permutation = Enumerable.Range(0, origins.Length).ToArray();
        new Random(seed).Shuffle(permutation);
        using var order = tensor(permutation.Select(i => (long)i).ToArray(), device: device);

        var result = new List<FeatureImportance>(problem.FeatureCount);
        for (var f = 0; f < problem.FeatureCount; f++)
        {
            using var inner = NewDisposeScope();
            var shuffled = x.clone();
            shuffled[TensorIndex.Colon, TensorIndex.Colon, f] = x[TensorIndex.Colon, TensorIndex.Colon, f].index_select(0, order);
            var mse = Loss(model, problem.Loss, shuffled, y);
            result.Add(new FeatureImportance(problem.FeatureNames[f], mse - baseline, baseline > 0 ? mse / baseline : double.NaN));
        }

        return result.OrderByDescending(r => r.MseIncrease).ToList();
    }

    private static double Loss(nn.Module<Tensor, Tensor> model, TrainingLoss loss, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        return loss.Mean(model.call(x), y).item<float>();
    }
}
