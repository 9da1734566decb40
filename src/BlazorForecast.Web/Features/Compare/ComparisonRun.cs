using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Training;

namespace BlazorForecast.Web.Features.Compare;

/// <summary>A run taking part in a comparison: its results and its training history.</summary>
public sealed record ComparisonRun(RunResults Results, IReadOnlyList<RunEpochCompleted> Epochs);
