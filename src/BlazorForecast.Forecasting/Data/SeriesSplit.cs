namespace BlazorForecast.Forecasting.Data;

/// <summary>Rows [Start, End) of a series.</summary>
public readonly record struct Segment(int Start, int End)
{
    public int Length => End - Start;

    public override string ToString() => $"rows {Start}..{End - 1}";
}

/// <summary>One chronological train/validation/test split; walk-forward produces one per fold.</summary>
public sealed record SeriesSplit(Segment Train, Segment Validation, Segment Test, int Fold = 0);

public enum WalkForwardMode
{
    /// <summary>Each fold trains on everything before its validation block.</summary>
    Expanding,

    /// <summary>Each fold trains on a window of the first fold's training length, sliding forward.</summary>
    Rolling,
}

/// <summary>Chronological splits: no shuffling, segments in time order, test always last.</summary>
public static class SeriesSplitter
{
    /// <summary>
    /// One split by fractions, rounded as the DLinear/Autoformer code does: train = floor(train·N),
    /// test = floor(test·N), validation = the rest.
    /// </summary>
    public static SeriesSplit Chronological(int rows, double trainFraction = 0.7, double testFraction = 0.2)
    {
        Validate(rows, trainFraction, testFraction);
        var train = (int)Math.Floor(trainFraction * rows);
        var test = (int)Math.Floor(testFraction * rows);
        return new SeriesSplit(new Segment(0, train), new Segment(train, rows - test), new Segment(rows - test, rows));
    }

    /// <summary>
    /// k folds whose test blocks tile the last <paramref name="testFraction"/> of the series; each fold validates on
    /// the <paramref name="validationFraction"/> of rows just before its test block and trains before that.
    /// </summary>
    public static IReadOnlyList<SeriesSplit> WalkForward(
        int rows, int folds, WalkForwardMode mode, double testFraction = 0.2, double validationFraction = 0.1)
    {
        Validate(rows, 1 - testFraction - validationFraction, testFraction);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var testRows = (int)Math.Floor(testFraction * rows);
        var validationRows = (int)Math.Floor(validationFraction * rows);
        var block = testRows / folds;
        if (block < 1)
        {
            throw new ArgumentException($"{folds} folds need at least {folds} test rows; the test part has {testRows}.", nameof(folds));
        }

        var firstTestStart = rows - (block * folds);
        var firstTrainLength = firstTestStart - validationRows;
        var splits = new List<SeriesSplit>(folds);
        for (var f = 0; f < folds; f++)
        {
            var testStart = firstTestStart + (f * block);
            var validationStart = testStart - validationRows;
            var trainStart = mode == WalkForwardMode.Expanding ? 0 : validationStart - firstTrainLength;
            splits.Add(new SeriesSplit(
                new Segment(trainStart, validationStart),
                new Segment(validationStart, testStart),
                new Segment(testStart, testStart + block),
                f));
        }

        return splits;
    }

    private static void Validate(int rows, double trainFraction, double testFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 3);
        if (trainFraction <= 0 || testFraction <= 0 || trainFraction + testFraction >= 1)
        {
            throw new ArgumentException(
                $"Split fractions must be positive and leave room for validation (train {trainFraction:P0}, test {testFraction:P0}).");
        }
    }
}

/// <summary>
/// Forecast windows by their origin t, the last input row: inputs are rows t-L+1..t, targets rows t+1..t+H. A window
/// belongs to a segment when all of its targets lie inside it; its inputs may reach back into earlier segments.
/// </summary>
public static class ForecastWindows
{
    public static int[] Origins(Segment segment, int lookback, int horizon, int firstUsableRow = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookback, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var first = Math.Max(segment.Start - 1, firstUsableRow + lookback - 1);
        var last = segment.End - 1 - horizon;
        return last < first ? [] : Enumerable.Range(first, last - first + 1).ToArray();
    }
}
