using BlazorForecast.Forecasting.Data;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>A joined input in a few words, as the new-run form and the run page show it.</summary>
public static class JoinedInputLabel
{
    /// <summary>"S&amp;P 500 close · log return · +2 days · 1 row later".</summary>
    public static string Of(JoinedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var read = input.As switch
        {
            FeatureKind.Return => "return",
            FeatureKind.LogReturn => "log return",
            _ => "value",
        };
        var lag = (input.Delay > TimeSpan.Zero ? $" · +{JoinedInput.Duration(input.Delay)}" : "") + (input.Rows > 0 ? $" · {input.Rows} row{(input.Rows == 1 ? "" : "s")} later" : "");
        return $"{input.Name} · {read}{lag}";
    }
}
