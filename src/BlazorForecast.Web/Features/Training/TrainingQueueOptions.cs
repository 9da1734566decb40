using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Web.Features.Training;

/// <summary>Settings under "BlazorForecast:Training".</summary>
public sealed class TrainingQueueOptions
{
    public const string Section = "BlazorForecast:Training";

    /// <summary>
    /// Whether this web process trains runs itself. Default: yes on SQLite (its queue is in this process), no on
    /// PostgreSQL, where training workers (`blazorforecast worker`) claim runs; set true there to have the web process
    /// claim runs too, as one more worker.
    /// </summary>
    public bool? InProcess { get; set; }

    /// <summary>Trainings that may run at once on this server (libtorch is not safe for concurrent runs on one device).</summary>
    public int MaxConcurrentTrainings { get; set; } = 1;

    /// <summary>libtorch threads for training; by default all cores but one, so the web server stays responsive.</summary>
    public int? Threads { get; set; }

    /// <summary>The largest run this server accepts (settings under "BlazorForecast:Training:Limits").</summary>
    public RunLimits Limits { get; set; } = new();
}
