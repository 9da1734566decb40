using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>Errors of one method overall (all windows, steps and targets) and for each horizon step.</summary>
public sealed record HorizonMetrics(ErrorMetrics Overall, IReadOnlyList<ErrorMetrics> PerStep);

/// <summary>
/// One method's scores: in original units (price levels, returns compounded back), standardised with the training
/// segment's level statistics (comparable with the literature), and, for return targets, on the model's own scale.
/// </summary>
public sealed record MethodScores(string Method, HorizonMetrics Original, HorizonMetrics Standardized, HorizonMetrics? ModelScale);

public sealed record EvaluationReport(IReadOnlyList<MethodScores> Methods, int Windows)
{
    public MethodScores Model => Methods[0];

    public MethodScores Method(string name) => Methods.First(m => m.Method == name);
}

/// <summary>A segment's report with each method's losses per origin and step (in the report's method order), for significance tests.</summary>
public sealed record ScoredSegment(EvaluationReport Report, IReadOnlyList<ForecastLosses> Losses)
{
    public ForecastLosses Model => Losses[0];
}

/// <summary>
/// Scores a trained model and the baselines on exactly the same windows: every origin given (no dropped last batch),
/// every step of the horizon, every target.
/// </summary>
public static class ForecastEvaluator
{
    public const string ModelName = "Model";

    /// <summary>
    /// Predictions on the transformed (unscaled) target scale, indexed [window][step * targets + target]; for a direction
    /// target the logits of a rise as they are.
    /// </summary>
    public static float[][] Predict(nn.Module<Tensor, Tensor> model, WindowedProblem problem, int[] origins, Device device, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(origins);
        model.eval();
        var predictions = new float[origins.Length][];
        using var noGrad = no_grad();
        for (var start = 0; start < origins.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, origins.Length - start);
            var (x, _) = problem.Batch(origins.AsSpan(start, count), device);
            var output = model.call(x).cpu().data<float>().ToArray();
            var width = problem.Horizon * problem.TargetCount;
            for (var b = 0; b < count; b++)
            {
                var row = output.AsSpan(b * width, width).ToArray();
                for (var i = 0; problem.Config.Direction is null && i < row.Length; i++)
                {
                    row[i] = (float)problem.TargetScaler.Inverse(i % problem.TargetCount, row[i]);
                }

                predictions[start + b] = row;
            }
        }

        return predictions;
    }

    /// <summary>Model forecasts in original units (returns compounded from the origin's level), [window][step][target].</summary>
    public static double[][][] PredictLevels(nn.Module<Tensor, Tensor> model, WindowedProblem problem, int[] origins, Device device, int batchSize) =>
        ToLevels(problem, origins, Predict(model, problem, origins, device, batchSize));

    /// <summary>Predictions from <see cref="Predict"/> in original units (returns compounded from the origin's level), [window][step][target].</summary>
    public static double[][][] ToLevels(WindowedProblem problem, int[] origins, float[][] predictions)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(origins);
        ArgumentNullException.ThrowIfNull(predictions);
        var levels = new double[origins.Length][][];
        var path = new double[problem.Horizon];
        for (var w = 0; w < origins.Length; w++)
        {
            levels[w] = new double[problem.Horizon][];
            for (var k = 0; k < problem.Horizon; k++)
            {
                levels[w][k] = new double[problem.TargetCount];
            }

            for (var j = 0; j < problem.TargetCount; j++)
            {
                for (var k = 0; k < problem.Horizon; k++)
                {
                    path[k] = predictions[w][(k * problem.TargetCount) + j];
                }

                var targetLevels = TransformedToLevels(problem, origins[w], j, path);
                for (var k = 0; k < problem.Horizon; k++)
                {
                    levels[w][k][j] = targetLevels[k];
                }
            }
        }

        return levels;
    }

    /// <summary>The element-wise mean of several models' predictions: the forecast of their ensemble.</summary>
    public static float[][] Mean(IReadOnlyList<float[][]> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 1)
        {
            return members[0];
        }

        return Enumerable.Range(0, members[0].Length).Select(w =>
        {
            var row = new float[members[0][w].Length];
            for (var i = 0; i < row.Length; i++)
            {
                var sum = 0.0;
                foreach (var member in members)
                {
                    sum += member[w][i];
                }

                row[i] = (float)(sum / members.Count);
            }

            return row;
        }).ToArray();
    }

    public static ScoredSegment Evaluate(
        nn.Module<Tensor, Tensor> model, WindowedProblem problem, int[] origins, Device device, int batchSize, int season) =>
        Evaluate(problem, origins, Predict(model, problem, origins, device, batchSize), season);

    /// <summary>The model's predictions (from <see cref="Predict"/>, or an ensemble's mean) and every baseline, scored on the same origins.</summary>
    public static ScoredSegment Evaluate(WindowedProblem problem, int[] origins, float[][] predictions, int season)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var scales = LevelScales.Of(problem);
        return WithBaselines(problem, origins, scales, season, ScoreModel(problem, origins, predictions, scales, ModelName));
    }

    /// <summary>
    /// Forecasts already in original units (origin × step × target; e.g. a blend of several configurations' forecasts)
    /// scored as the model, beside every baseline on the same origins.
    /// </summary>
    public static ScoredSegment EvaluateLevels(WindowedProblem problem, int[] origins, double[][][] forecasts, int season)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(forecasts);
        var scales = LevelScales.Of(problem);
        var model = Score(ModelName, problem, origins, scales, (window, target, path) =>
        {
            var levels = new double[problem.Horizon];
            for (var k = 0; k < levels.Length; k++)
            {
                levels[k] = forecasts[window][k][target];
            }

            return levels;
        }, modelScale: false);
        return WithBaselines(problem, origins, scales, season, model);
    }

    private static ScoredSegment WithBaselines(
        WindowedProblem problem, int[] origins, LevelScales scales, int season, (MethodScores Scores, ForecastLosses Losses) model)
    {
        var scored = new List<(MethodScores Scores, ForecastLosses Losses)> { model };
        foreach (var kind in Enum.GetValues<BaselineKind>())
        {
            scored.Add(Score(kind.ToString(), problem, origins, scales, (window, target, path) =>
            {
                var levels = new double[problem.Horizon];
                Baselines.Forecast(kind, problem.TargetLevels[target], origins[window], problem.Lookback, season, Math.Min(20, problem.Lookback), levels);
                return levels;
            }, modelScale: false));
        }

        return new ScoredSegment(new EvaluationReport(scored.Select(s => s.Scores).ToList(), origins.Length), scored.Select(s => s.Losses).ToList());
    }

    /// <summary>One model's predictions alone (e.g. one seed of an ensemble), scored like <see cref="Evaluate(WindowedProblem, int[], float[][], int)"/> scores the model.</summary>
    public static (MethodScores Scores, ForecastLosses Losses) ScoreModel(WindowedProblem problem, int[] origins, float[][] predictions, string name)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return ScoreModel(problem, origins, predictions, LevelScales.Of(problem), name);
    }

    private static (MethodScores Scores, ForecastLosses Losses) ScoreModel(WindowedProblem problem, int[] origins, float[][] predictions, LevelScales scales, string name)
    {
        ArgumentNullException.ThrowIfNull(origins);
        ArgumentNullException.ThrowIfNull(predictions);
        return Score(name, problem, origins, scales, (window, target, path) =>
        {
            for (var k = 0; k < path.Length; k++)
            {
                path[k] = predictions[window][(k * problem.TargetCount) + target];
            }

            return TransformedToLevels(problem, origins[window], target, path);
        }, modelScale: true);
    }

    private static double[] TransformedToLevels(WindowedProblem problem, int origin, int target, double[] path) =>
        TargetTransforms.ToLevels(problem.TargetLevels[target][origin], path, problem.Config.Transform);

    private static (MethodScores Scores, ForecastLosses Losses) Score(
        string name, WindowedProblem problem, int[] origins, LevelScales scales, Func<int, int, double[], double[]> levelsFor, bool modelScale)
    {
        var transform = problem.Config.Transform;
        var levelScaler = scales.Levels;
        var original = new Accumulators(problem.Horizon, scales.OriginalMase);
        var standardized = new Accumulators(problem.Horizon, scales.StandardizedMase);
        var ownScale = modelScale && transform != TargetTransform.Level ? new Accumulators(problem.Horizon, double.NaN) : null;
        var losses = new double[origins.Length][];

        var path = new double[problem.Horizon];
        for (var w = 0; w < origins.Length; w++)
        {
            var t = origins[w];
            losses[w] = new double[problem.Horizon];
            for (var j = 0; j < problem.TargetCount; j++)
            {
                var levels = levelsFor(w, j, path);
                var actualLevels = problem.TargetLevels[j];
                var origin = actualLevels[t];
                for (var k = 0; k < problem.Horizon; k++)
                {
                    var actual = actualLevels[t + 1 + k];
                    var scaledActual = levelScaler.Transform(j, actual);
                    var scaledForecast = levelScaler.Transform(j, levels[k]);
                    original.Add(k, actual, levels[k], origin);
                    standardized.Add(k, scaledActual, scaledForecast, levelScaler.Transform(j, origin));
                    ownScale?.Add(k, problem.TransformedTargets[j][t + 1 + k], path[k], 0);
                    losses[w][k] += (scaledForecast - scaledActual) * (scaledForecast - scaledActual) / problem.TargetCount;
                }
            }
        }

        return (new MethodScores(name, original.Result(), standardized.Result(), ownScale?.Result()), new ForecastLosses(name, losses));
    }

    /// <summary>Training-segment statistics every method is scored with; fitted once per evaluation.</summary>
    private sealed record LevelScales(StandardScaler Levels, double OriginalMase, double StandardizedMase)
    {
        public static LevelScales Of(WindowedProblem problem)
        {
            var train = problem.Split.Train;
            var levels = StandardScaler.Fit(problem.TargetLevels, Math.Max(train.Start, problem.FirstUsableRow), train.End);
            var naive = Enumerable.Range(0, problem.TargetCount)
                .Select(j => ErrorAccumulator.NaiveScale(problem.TargetLevels[j].AsSpan(train.Start, train.Length)))
                .ToArray();
            return new LevelScales(levels, naive.Average(), naive.Select((n, j) => n / levels.Deviations[j]).Average());
        }
    }

    private sealed class Accumulators(int horizon, double maseScale)
    {
        private readonly ErrorAccumulator _overall = new(maseScale);
        private readonly ErrorAccumulator[] _steps = Enumerable.Range(0, horizon).Select(_ => new ErrorAccumulator(maseScale)).ToArray();

        public void Add(int step, double actual, double predicted, double origin)
        {
            _overall.Add(actual, predicted, origin);
            _steps[step].Add(actual, predicted, origin);
        }

        public HorizonMetrics Result() => new(_overall.Result(), _steps.Select(s => s.Result()).ToList());
    }
}
