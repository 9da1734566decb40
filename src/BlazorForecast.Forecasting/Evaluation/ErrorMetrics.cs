namespace BlazorForecast.Forecasting.Evaluation;

/// <summary>
/// Forecast errors over a set of points. MAPE and sMAPE are in percent; MASE divides MAE by the mean absolute
/// one-step change of the training data (the naive forecast's in-sample error). Directional accuracy counts how often
/// the predicted move from the forecast origin has the sign of the actual move, shown beside the share of actual
/// up-moves (the majority-class rate is max(UpRate, 1 - UpRate)).
/// </summary>
public sealed record ErrorMetrics(
    double Mse,
    double Rmse,
    double Mae,
    double Mape,
    double Smape,
    double R2,
    double Mase,
    double DirectionalAccuracy,
    double UpRate,
    int Count)
{
    public double MajorityRate => Math.Max(UpRate, 1 - UpRate);
}

/// <summary>Accumulates errors point by point, so callers can score large test sets without copying them.</summary>
public sealed class ErrorAccumulator(double maseScale)
{
    private double _sumSquares;
    private double _sumAbsolute;
    private double _sumPercent;
    private int _percentCount;
    private double _sumSymmetric;
    private int _symmetricCount;
    private double _sumActual;
    private double _sumActualSquares;
    private int _directionCount;
    private int _directionHits;
    private int _ups;
    private int _count;

    /// <param name="actual">The observed value.</param>
    /// <param name="predicted">The forecast.</param>
    /// <param name="origin">The last observed value at the forecast origin, for direction; NaN to skip direction.</param>
    public void Add(double actual, double predicted, double origin)
    {
        var error = predicted - actual;
        _sumSquares += error * error;
        _sumAbsolute += Math.Abs(error);
        _sumActual += actual;
        _sumActualSquares += actual * actual;
        _count++;
        if (actual != 0)
        {
            _sumPercent += Math.Abs(error / actual);
            _percentCount++;
        }

        var denominator = Math.Abs(actual) + Math.Abs(predicted);
        if (denominator > 0)
        {
            _sumSymmetric += 2 * Math.Abs(error) / denominator;
            _symmetricCount++;
        }

        var actualMove = actual - origin;
        if (!double.IsNaN(origin) && actualMove != 0)
        {
            _directionCount++;
            _ups += actualMove > 0 ? 1 : 0;
            _directionHits += Math.Sign(predicted - origin) == Math.Sign(actualMove) ? 1 : 0;
        }
    }

    public ErrorMetrics Result()
    {
        if (_count == 0)
        {
            return new ErrorMetrics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var mse = _sumSquares / _count;
        var mae = _sumAbsolute / _count;
        var mean = _sumActual / _count;
        var totalSquares = _sumActualSquares - (_count * mean * mean);
        return new ErrorMetrics(
            mse,
            Math.Sqrt(mse),
            mae,
            _percentCount == 0 ? double.NaN : 100 * _sumPercent / _percentCount,
            _symmetricCount == 0 ? double.NaN : 100 * _sumSymmetric / _symmetricCount,
            totalSquares > 0 ? 1 - (_sumSquares / totalSquares) : double.NaN,
            maseScale > 0 ? mae / maseScale : double.NaN,
            _directionCount == 0 ? double.NaN : (double)_directionHits / _directionCount,
            _directionCount == 0 ? double.NaN : (double)_ups / _directionCount,
            _count);
    }

    /// <summary>The in-sample mean absolute one-step change of a segment: MASE's denominator.</summary>
    public static double NaiveScale(ReadOnlySpan<double> trainValues)
    {
        var sum = 0.0;
        var count = 0;
        for (var i = 1; i < trainValues.Length; i++)
        {
            if (!double.IsNaN(trainValues[i]) && !double.IsNaN(trainValues[i - 1]))
            {
                sum += Math.Abs(trainValues[i] - trainValues[i - 1]);
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }
}
