using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Sweeps;

/// <summary>
/// An ensemble trained as one job: every member's config trained in turn (each with its seeds), then blended on
/// validation by <see cref="ForecastBlend"/>. <see cref="Outcome"/> says how the trainings ended, the most serious first.
/// </summary>
public sealed record EnsembleResult(BlendedForecast Blend, IReadOnlyList<ForecastRunResult> Members, TrainingSummary Outcome);

/// <summary>
/// Trains an ensemble's members one after another as the parts of one run, member m in the place of fold m (each member
/// has one chronological split, so its own fold is 0): progress, checkpoints and finished parts are named the way a
/// resumable run names them, and a stopped ensemble resumes where it stopped. Stopping ends the current member with its
/// best weights so far and blends the members trained by then.
/// </summary>
public static class EnsembleTraining
{
    public static EnsembleResult Run(
        TimeSeriesFrame frame,
        IReadOnlyList<ForecastConfig> members,
        SweepEnsemble method,
        IProgress<TrainingProgress>? progress = null,
        Action<TrainingCheckpoint>? checkpointed = null,
        ResumePoint? resumeFrom = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0 || members.Any(m => m.WalkForwardFolds >= 2))
        {
            throw new ArgumentException("An ensemble needs at least one member, each of one chronological split.", nameof(members));
        }

        var results = new List<ForecastRunResult>();
        for (var m = 0; m < members.Count; m++)
        {
            var member = m;
            var tagged = progress is null ? null : new MemberProgress(progress, member);
            results.Add(ForecastRunner.Run(frame, members[m], tagged, c => checkpointed?.Invoke(c with { Fold = member }),
                ResumeOfMember(resumeFrom, member), cancellationToken));
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        var outcomes = results.Select(r => r.Outcome).ToList();
        var outcome = outcomes.FirstOrDefault(t => t.StopReason == StopReason.Cancelled)
            ?? outcomes.FirstOrDefault(t => t.StopReason == StopReason.NonFiniteLoss)
            ?? outcomes[^1];
        return new EnsembleResult(ForecastBlend.Of(frame, results, method), results, outcome);
    }

    // The finished parts and checkpoint of one member, as that member's own (fold 0).
    private static ResumePoint? ResumeOfMember(ResumePoint? resume, int member) => resume is null
        ? null
        : new ResumePoint(
            resume.Completed.Where(p => p.Fold == member).Select(p => p with { Fold = 0 }).ToList(),
            resume.Checkpoint is { } c && c.Fold == member ? c with { Fold = 0 } : null);

    private sealed class MemberProgress(IProgress<TrainingProgress> inner, int member) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report(value with { Fold = member });
    }
}
