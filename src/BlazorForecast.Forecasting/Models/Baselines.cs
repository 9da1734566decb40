namespace BlazorForecast.Forecasting.Models;

public enum BaselineKind
{
    /// <summary>Repeat the last observed value.</summary>
    Naive,

    /// <summary>Extend the straight line from the first to the last value of the lookback window.</summary>
    Drift,

    /// <summary>Repeat the value one season earlier.</summary>
    SeasonalNaive,

    /// <summary>Repeat the mean of the last values.</summary>
    MovingAverage,
}

/// <summary>
/// Honest yardsticks, forecast from exactly the same windows as the models: only the history up to the origin is
/// read, and every step of the horizon is filled.
/// </summary>
public static class Baselines
{
    /// <summary>The H-step forecast from origin t (the last input row) of <paramref name="series"/>.</summary>
    public static void Forecast(BaselineKind kind, ReadOnlySpan<double> series, int origin, int lookback, int season, int average, Span<double> forecast)
    {
        var last = series[origin];
        switch (kind)
        {
            case BaselineKind.Naive:
                forecast.Fill(last);
                break;
            case BaselineKind.Drift:
                var first = series[origin - lookback + 1];
                var slope = lookback > 1 ? (last - first) / (lookback - 1) : 0;
                for (var k = 0; k < forecast.Length; k++)
                {
                    forecast[k] = last + (slope * (k + 1));
                }

                break;
            case BaselineKind.SeasonalNaive:
                var m = Math.Clamp(season, 1, lookback);
                for (var k = 0; k < forecast.Length; k++)
                {
                    forecast[k] = series[origin - m + 1 + (k % m)];
                }

                break;
            case BaselineKind.MovingAverage:
                var n = Math.Clamp(average, 1, lookback);
                var sum = 0.0;
                for (var i = origin - n + 1; i <= origin; i++)
                {
                    sum += series[i];
                }

                forecast.Fill(sum / n);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown baseline.");
        }
    }

    /// <summary>A season length for the series' frequency: a trading week for business days, a week for calendar days.</summary>
    public static int SeasonFor(Data.SeriesFrequency frequency) => frequency switch
    {
        Data.SeriesFrequency.BusinessDays => 5,
        Data.SeriesFrequency.Daily => 7,
        Data.SeriesFrequency.Weekly => 52,
        Data.SeriesFrequency.Monthly => 12,
        _ => 1,
    };
}
