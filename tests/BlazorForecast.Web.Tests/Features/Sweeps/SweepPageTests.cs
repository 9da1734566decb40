using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Evaluation;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Sweeps;
using BlazorForecast.Forecasting.Training;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Results;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Sweeps;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Sweeps;

public sealed class SweepPageTests : AppComponentTestContext
{
    // A change reaches the page through the notifier and a throttle of half a second; a busy machine needs more than bUnit's default second.
    private static readonly TimeSpan LiveUpdate = TimeSpan.FromSeconds(10);

    private IDbContextFactory<ForecastDbContext> Db => Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>();

    [Fact]
    public async Task WhileSearching_TrialsShowTheirSettingsStateAndLoss_AndTestScoresAreWithheld()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=trials-table] tbody tr").Count));
        var rows = cut.FindAll("[data-testid=trials-table] tbody tr");
        Assert.Equal(["complete", "stopped early", "training"], cut.FindAll("[data-testid=trial-state]").Select(s => s.TextContent));
        Assert.Contains("Mlp", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("0.9", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Lstm", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal(["withheld", "withheld", "withheld"], cut.FindAll("[data-testid=trial-test]").Select(t => t.TextContent.Trim()));
        Assert.Equal(["—", "1 · epoch 2", "—"], cut.FindAll("[data-testid=trial-rung]").Select(t => t.TextContent.Trim()));
        Assert.DoesNotContain("not used for selection", cut.Find("[data-testid=trials-table] thead").TextContent, StringComparison.Ordinal);
        Assert.Contains("0.9 (trial 1)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("1, saving up to 4 epochs", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=sweep-stop]"));
        Assert.Equal("Searching", cut.Find("[data-testid=sweep-status]").TextContent);
        Assert.Equal($"runs/new?cloneOf={trials[0]}", cut.Find("[data-testid=sweep-clone-best]").GetAttribute("href"));
        Assert.Equal("Clone the best so far", cut.Find("[data-testid=sweep-clone-best]").TextContent.Trim());

        // A trial ends: the page follows the sweep's change.
        await UpdateRunAsync(trials[2], r => { r.Status = RunStatus.Succeeded; r.Objective = 0.5; });
        await Services.GetRequiredService<SweepNotifier>().PublishAsync(new SweepChanged(sweep, SweepStatus.Searching, null, 3, 3, 0.5));

        cut.WaitForAssertion(() => Assert.Contains("0.5 (trial 3)", cut.Markup, StringComparison.Ordinal), LiveUpdate);
        Assert.Equal(["complete", "stopped early", "complete"], cut.FindAll("[data-testid=trial-state]").Select(s => s.TextContent));
    }

    [Fact]
    public async Task OnceFinished_TrialsTestScoresAreShown_LabelledAsNotUsedForSelection()
    {
        var (sweep, _) = await SweepWithTrialsAsync();
        await UpdateSweepAsync(sweep, s => s.Status = SweepStatus.Finished);

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Contains("Test RMSE (not used for selection)", cut.Find("[data-testid=trials-table] thead").TextContent, StringComparison.Ordinal));
        Assert.Equal(["1.5", "—", "—"], cut.FindAll("[data-testid=trial-test]").Select(t => t.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=sweep-stop]"));
        Assert.NotNull(cut.Find("[data-testid=sweep-delete]"));
    }

    [Fact]
    public async Task WaitingForAChoice_OwnersMayRetrainACompletedTrial_TheBestIsMarked()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();
        await UpdateRunAsync(trials[2], r => { r.Status = RunStatus.Succeeded; r.Objective = 0.7; });
        await UpdateSweepAsync(sweep, s => { s.Status = SweepStatus.Choosing; s.StatusDetail = "The search is over. Pick the trial to retrain."; });

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=pick-trial]").Count));
        Assert.Equal("The search is over. Pick the trial to retrain.", cut.Find("[data-testid=sweep-detail]").TextContent);
        Assert.Contains("chosen-trial", cut.FindAll("[data-testid=trials-table] tbody tr")[2].ClassName, StringComparison.Ordinal);

    }

    [Fact]
    public async Task ATrialThatSharesAnEarlierOnesNetwork_SaysSo_AndCannotBePicked()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();
        await UpdateRunAsync(trials[2], r => (r.Status, r.Objective, r.SameAsTrial, r.StatusDetail) = (RunStatus.Succeeded, 0.9, 0, "Not trained: the same network as trial 1."));
        await UpdateSweepAsync(sweep, s => s.Status = SweepStatus.Choosing);

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Equal(["complete", "stopped early", "same as trial 1"], cut.FindAll("[data-testid=trial-state]").Select(s => s.TextContent)));
        Assert.Equal("Not trained: the same network as trial 1.", cut.FindAll("[data-testid=trial-state]")[2].GetAttribute("title"));
        Assert.Single(cut.FindAll("[data-testid=pick-trial]"));
        Assert.Contains("0.9 (trial 1)", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitingForAChoice_ViewersSeeTheTrialsWithoutActions()
    {
        var (sweep, _) = await SweepWithTrialsAsync();
        await UpdateSweepAsync(sweep, s => s.Status = SweepStatus.Choosing);
        SignInAs(await AddAccountAsync("Vic Viewer", TeamRole.Viewer));

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=trials-table] tbody tr").Count));
        Assert.Empty(cut.FindAll("[data-testid=pick-trial]"));
        Assert.Empty(cut.FindAll("[data-testid=sweep-stop]"));
    }

    [Fact]
    public async Task ATrialsOwnPage_SaysItBelongsToASweep_AndWhyItsTestScoresAreWithheld()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();

        var cut = RenderWithProviders<RunPage>(("Id", trials[0]));

        cut.WaitForAssertion(() => Assert.Contains("Trial 1 of a sweep: its test scores are withheld until the sweep has its result",
            cut.Find("[data-testid=run-sweep]").TextContent, StringComparison.Ordinal));
        Assert.Equal($"sweeps/{sweep}", cut.Find("[data-testid=run-sweep] a").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=result-tabs]"));
    }

    [Fact]
    public async Task EachSettingsShare_ShowsOnceSixTrialsHaveCompleted()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();
        var cut = RenderWithProviders<SweepPage>(("Id", sweep));
        cut.WaitForAssertion(() => Assert.Contains("shows once 6 trials have completed", cut.Find("[data-testid=setting-shares]").TextContent, StringComparison.Ordinal));

        // Six completed trials whose loss follows the model (Mlp 0.5, Lstm 1.5) and not the width.
        await UpdateRunAsync(trials[1], r => { r.Status = RunStatus.Succeeded; r.StoppedEarlyBecause = null; r.Objective = 1.5; });
        await UpdateRunAsync(trials[2], r => { r.Status = RunStatus.Succeeded; r.Objective = 0.5; });
        await UpdateRunAsync(trials[0], r => r.Objective = 0.5);
        await AddTrialsAsync(sweep, ([1, 0], 1.5), ([0, 1], 0.5), ([1, 1], 1.5));
        await Services.GetRequiredService<SweepNotifier>().PublishAsync(new SweepChanged(sweep, SweepStatus.Searching, null, 6, 6, 0.5));

        cut.WaitForAssertion(() => Assert.Equal(["model 100%", "hiddenSize 0%"], cut.FindAll("[data-testid=setting-share]").Select(c => c.TextContent.Trim())), LiveUpdate);
    }

    [Fact]
    public async Task OnceFinished_TheEnsembleStandsBesideTheResult_WithItsWeightsVerdictAndTestAgainstTheChosenTrial()
    {
        var (sweep, ensemble, blend) = await FinishedWithEnsembleAsync(SweepEnsemble.TopK);

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=sweep-ensemble] [data-testid=verdict]")));
        Assert.NotNull(cut.Find("[data-testid=sweep-result] [data-testid=verdict]"));
        var card = cut.Find("[data-testid=sweep-ensemble]");
        Assert.Contains("the 2 best trials averaged", card.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Trial 1 · 50%", "Trial 3 · 50%"], cut.FindAll("[data-testid=ensemble-member]").Select(c => c.TextContent.Trim()));
        Assert.Equal($"{Verdict.Against(blend.VersusFirst, Verdict.DefaultLevel)}, on the same test windows.", cut.Find("[data-testid=ensemble-versus-chosen]").TextContent.Trim());
        Assert.Equal($"runs/{ensemble}", cut.Find("[data-testid=sweep-ensemble-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task AnEnsembleOfTheChosenTrialAlone_SaysSoInsteadOfTestingItAgainstItself()
    {
        var (sweep, _, _) = await FinishedWithEnsembleAsync(SweepEnsemble.Greedy, keptAlone: true);

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.StartsWith("Greedy selection kept the chosen trial alone",
            cut.Find("[data-testid=ensemble-versus-chosen]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Equal(["Trial 1 · 100%", "Trial 3 · 0%"], cut.FindAll("[data-testid=ensemble-member]").Select(c => c.TextContent.Trim()));
    }

    // A finished sweep whose result and ensemble (of trials 1 and 3) are real trainings, stored as the worker stores them.
    private async Task<(int Sweep, int Ensemble, BlendedForecast Blend)> FinishedWithEnsembleAsync(SweepEnsemble method, bool keptAlone = false)
    {
        var (sweep, trials) = await SweepWithTrialsAsync();
        var dataset = (await Db.CreateDbContextAsync()).Runs.AsNoTracking().First(r => r.Id == trials[0]).DatasetId;
        var frame = (await Services.GetRequiredService<Web.Features.Datasets.DatasetService>().GetFrameAsync(dataset))!;
        var config = new ForecastConfig
        {
            Lookback = 10,
            Horizon = 2,
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 8 },
            Training = new TrainingOptions { MaxEpochs = 2, Device = DeviceChoice.Cpu },
        };
        var chosen = ForecastRunner.Run(frame, config);
        var other = ForecastRunner.Run(frame, config with { Model = config.Model with { HiddenSize = 16 } });
        var blend = ForecastBlend.Of(frame, [chosen, other], method);
        var result = await AddFinalRunAsync(sweep, dataset, SweepRole.Result, config, StoredFold.Serialize(chosen), chosen.Assessment, PredictionSet.From(chosen, frame), null);
        var plan = new EnsemblePlan(method, [new EnsembleMember(trials[0], 0, config), new EnsembleMember(trials[2], 2, config)])
            .WithWeights(keptAlone ? [1.0, 0.0] : blend.WeightsOfGiven(2)) with { VersusChosen = blend.VersusFirst };
        var ensemble = await AddFinalRunAsync(sweep, dataset, SweepRole.Ensemble, config, JsonSerializer.Serialize(new[] { StoredFold.From(blend.Fold) }, ForecastJson.Options),
            blend.Assessment, blend.Predictions(), plan);
        await UpdateSweepAsync(sweep, s => (s.Status, s.ChosenRunId, s.ResultRunId) = (SweepStatus.Finished, trials[0], result));
        return (sweep, ensemble, blend);
    }

    [Fact]
    public async Task TheEnsemblesOwnPage_SaysWhatItIs_AndNamesItsTrainingsMembers()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();
        var dataset = (await Db.CreateDbContextAsync()).Runs.AsNoTracking().First(r => r.Id == trials[0]).DatasetId;
        var config = new ForecastConfig { Lookback = 10, Model = new ModelOptions { Kind = ModelKind.Mlp }, Training = new TrainingOptions { MaxEpochs = 3 } };
        var plan = new EnsemblePlan(SweepEnsemble.Greedy, [new EnsembleMember(trials[0], 0, config), new EnsembleMember(trials[2], 2, config)]);
        var ensemble = await AddFinalRunAsync(sweep, dataset, SweepRole.Ensemble, config, null, null, null, plan, RunStatus.Running);
        await using (var db = await Db.CreateDbContextAsync())
        {
            db.RunEpochs.AddRange(new[] { (0, 1), (0, 2), (0, 3), (1, 1) }.Select(e => new RunEpoch
            {
                RunId = ensemble, Fold = e.Item1, Epoch = e.Item2, TrainLoss = 1, ValidationLoss = 1, CompletedAt = DateTime.UtcNow,
            }));
            await db.SaveChangesAsync();
        }

        var page = RenderWithProviders<RunPage>(("Id", ensemble));

        page.WaitForAssertion(() => Assert.Contains("The ensemble of a sweep's best trials", page.Find("[data-testid=run-sweep]").TextContent, StringComparison.Ordinal));
        Assert.Contains("It has no single model", page.Find("[data-testid=run-sweep]").TextContent, StringComparison.Ordinal);
        Assert.Contains("member 2 of 2", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("fold 2", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileFinishing_TheEnsembleCardSaysItTrains_WithoutScores()
    {
        var (sweep, trials) = await SweepWithTrialsAsync();
        var dataset = (await Db.CreateDbContextAsync()).Runs.AsNoTracking().First(r => r.Id == trials[0]).DatasetId;
        var config = new ForecastConfig { Lookback = 10, Model = new ModelOptions { Kind = ModelKind.Mlp } };
        var plan = new EnsemblePlan(SweepEnsemble.Greedy, [new EnsembleMember(trials[0], 0, config), new EnsembleMember(trials[2], 2, config)]);
        await AddFinalRunAsync(sweep, dataset, SweepRole.Ensemble, config, null, null, null, plan, RunStatus.Running);
        await UpdateSweepAsync(sweep, s => s.Status = SweepStatus.Finishing);

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Equal("The ensemble is running.", cut.Find("[data-testid=ensemble-state]").TextContent.Trim()));
        Assert.Contains("greedy selection among 2 trials", cut.Find("[data-testid=sweep-ensemble]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Trial 1", "Trial 3"], cut.FindAll("[data-testid=ensemble-member]").Select(c => c.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=sweep-result]"));
        Assert.Empty(cut.FindAll("[data-testid=verdict]"));
    }

    [Fact]
    public async Task SomeoneElsesPrivateSweep_LooksLikeAMissingOne()
    {
        var (sweep, _) = await SweepWithTrialsAsync(Visibility.Private);
        SignInAs(await AddAccountAsync("Mo Member", TeamRole.Member));

        var cut = RenderWithProviders<SweepPage>(("Id", sweep));

        cut.WaitForAssertion(() => Assert.Equal($"There is no sweep {sweep}.", cut.Find("[data-testid=not-found]").TextContent));
    }

    [Fact]
    public void SweepsList_WithoutSweeps_SaysHowToStartOne()
    {
        var cut = RenderWithProviders<SweepsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No sweeps yet", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(cut.Find("[data-testid=new-sweep-button]"));
    }

    [Fact]
    public async Task SweepsList_ShowsEachSweepsProgressAndStatus()
    {
        var (sweep, _) = await SweepWithTrialsAsync();
        var cut = RenderWithProviders<SweepsPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=sweeps-table] tbody tr")));
        Assert.Equal("2 of 4 ended, 1 running", cut.Find("[data-testid=sweep-row-trials]").TextContent);
        Assert.Equal("Searching", cut.Find("[data-testid=sweep-status]").TextContent);
        Assert.Contains($"sweeps/{sweep}", cut.Find("[data-testid=sweeps-table] a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewRunForm_SearchSettings_OpensTheSweepDialog_WhichListsProblemsThenStartsTheSweep()
    {
        var dataset = await DatasetAsync();
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"runs/new?datasetId={dataset}");
        var cut = RenderWithProviders<NewRunPage>();
        cut.WaitForAssertion(() => Assert.Equal("Forecasting Close", cut.Find("[data-testid=chosen-targets]").TextContent.Trim()));

        cut.Find("[data-testid=sweep-button]").Click();

        var space = cut.WaitForElement("textarea[data-testid=sweep-space]");
        var starter = JsonNode.Parse(space.GetAttribute("value") ?? space.TextContent)!.AsObject();
        Assert.Equal(["model", "hiddenSize", "learningRate", "dropout"], starter.Select(p => p.Key));
        Assert.Equal("Lstm", starter["model"]![0]!.GetValue<string>());

        space.Change("{\"hiddenSize\": [8, 16");
        cut.Find("[data-testid=sweep-start]").Click();
        cut.WaitForAssertion(() => Assert.StartsWith("The search space is not valid JSON", cut.Find("[data-testid=sweep-problems]").TextContent.Trim(), StringComparison.Ordinal));

        cut.Find("textarea[data-testid=sweep-space]").Change("{\"hiddenSize\": {\"int\": [16, 8]}}");
        cut.Find("[data-testid=sweep-start]").Click();
        cut.WaitForAssertion(() => Assert.Contains("'hiddenSize': [16, 8] is not a range", cut.Find("[data-testid=sweep-problems]").TextContent, StringComparison.Ordinal));
        await using (var db = await Db.CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Sweeps.CountAsync());
        }

        cut.Find("textarea[data-testid=sweep-space]").Change("{\"hiddenSize\": [8, 16]}");
        cut.Find("input[data-testid=sweep-trials]").Change("2");
        cut.Find("[data-testid=sweep-start]").Click();

        cut.WaitForAssertion(() => Assert.Matches(@"sweeps/\d+$", navigation.Uri));
        await using (var db = await Db.CreateDbContextAsync())
        {
            var created = await db.Sweeps.SingleAsync();
            Assert.EndsWith($"sweeps/{created.Id}", navigation.Uri, StringComparison.Ordinal);
            var definition = JsonSerializer.Deserialize<SweepDefinition>(created.DefinitionJson, ForecastJson.Options)!;
            Assert.Equal(2, definition.MaxTrials);
            Assert.Equal(SweepMethod.Tpe, definition.Method);
            var baseConfig = JsonSerializer.Deserialize<ForecastConfig>(created.BaseConfigJson, ForecastJson.Options)!;
            Assert.Equal(TargetTransform.LogReturn, baseConfig.Transform);
            Assert.Equal(ModelKind.Lstm, baseConfig.Model.Kind);
        }
    }

    private async Task<int> DatasetAsync()
    {
        return (await ImportAsync(TestSeries.SineCsv(), "Sine")).Id;
    }

    // A sweep made through the service, with three trials as the coordinator would have queued them: one complete, one
    // stopped early after 2 of 6 epochs, one training.
    private async Task<(int Sweep, int[] Trials)> SweepWithTrialsAsync(Visibility visibility = Visibility.Team)
    {
        var dataset = await DatasetAsync();
        var baseConfig = new ForecastConfig { Lookback = 10, Model = new ModelOptions { Kind = ModelKind.Mlp }, Training = new TrainingOptions { MaxEpochs = 6 } };
        var definition = new SweepDefinition { Space = JsonNode.Parse("""{"model": ["Mlp", "Lstm"], "hiddenSize": [8, 16]}""")!.AsObject(), MaxTrials = 4 };
        var sweep = await Services.GetRequiredService<SweepService>().CreateAsync(new SweepRequest(dataset, baseConfig, definition, "Widths", visibility), Admin);
        (double[] Point, RunStatus Status, double? Objective, string? Stopped, double? Test)[] trials =
        [
            ([0, 0], RunStatus.Succeeded, 0.9, null, 1.5),
            ([1, 1], RunStatus.Cancelled, 1.2, "Stopped early by successive halving after epoch 2.", null),
            ([0, 1], RunStatus.Running, null, null, null),
        ];
        var ids = new List<int>();
        await using var db = await Db.CreateDbContextAsync();
        for (var i = 0; i < trials.Length; i++)
        {
            var run = new Run
            {
                DatasetId = dataset,
                Name = $"Widths · trial {i + 1}",
                OwnerId = Admin.UserId,
                Visibility = visibility,
                ConfigJson = JsonSerializer.Serialize(baseConfig, ForecastJson.Options),
                ModelKind = "Mlp",
                MaxEpochs = 6,
                Status = trials[i].Status,
                Objective = trials[i].Objective,
                StoppedEarlyBecause = trials[i].Stopped,
                TestRmse = trials[i].Test,
                SweepId = sweep,
                SweepRole = SweepRole.Trial,
                TrialNumber = i,
                TrialPointJson = JsonSerializer.Serialize(trials[i].Point),
            };
            if (trials[i].Stopped is not null)
            {
                run.Epochs.AddRange(Enumerable.Range(1, 2).Select(e => new RunEpoch { Epoch = e, ValidationLoss = 1.2, TrainLoss = 1 }));
            }

            db.Runs.Add(run);
            await db.SaveChangesAsync();
            ids.Add(run.Id);
        }

        return (sweep, ids.ToArray());
    }

    // A result or ensemble run of a sweep, as the worker stores one.
    private async Task<int> AddFinalRunAsync(
        int sweep, int dataset, SweepRole role, ForecastConfig config, string? resultJson, Forecasting.Evaluation.Assessment? assessment,
        Forecasting.Evaluation.PredictionSet? predictions, EnsemblePlan? plan, RunStatus status = RunStatus.Succeeded)
    {
        await using var db = await Db.CreateDbContextAsync();
        var run = Run.Queued(dataset, $"Widths · {role}", Admin.UserId, Visibility.Team, config, DateTime.UtcNow);
        (run.Status, run.SweepId, run.SweepRole, run.ResultJson) = (status, sweep, role, resultJson);
        run.AssessmentJson = assessment is null ? null : JsonSerializer.Serialize(assessment, ForecastJson.Options);
        run.EnsembleJson = plan is null ? null : JsonSerializer.Serialize(plan, ForecastJson.Options);
        run.Folds = plan?.Members.Count ?? 1;
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        if (predictions is not null)
        {
            db.RunArtifacts.Add(new RunArtifact { RunId = run.Id, Predictions = predictions.ToBytes() });
            await db.SaveChangesAsync();
        }

        return run.Id;
    }

    private async Task AddTrialsAsync(int sweep, params (double[] Point, double Objective)[] trials)
    {
        await using var db = await Db.CreateDbContextAsync();
        var template = await db.Runs.AsNoTracking().FirstAsync(r => r.SweepId == sweep);
        var next = await db.Runs.CountAsync(r => r.SweepId == sweep);
        foreach (var (point, objective) in trials)
        {
            var run = Run.Queued(template.DatasetId, $"Widths · trial {next + 1}", template.OwnerId, template.Visibility,
                JsonSerializer.Deserialize<ForecastConfig>(template.ConfigJson, ForecastJson.Options)!, DateTime.UtcNow);
            (run.Status, run.Objective, run.SweepId, run.SweepRole, run.TrialNumber, run.TrialPointJson) =
                (RunStatus.Succeeded, objective, sweep, SweepRole.Trial, next++, JsonSerializer.Serialize(point));
            db.Runs.Add(run);
        }

        await db.SaveChangesAsync();
    }

    private async Task UpdateRunAsync(int runId, Action<Run> change)
    {
        await using var db = await Db.CreateDbContextAsync();
        change(await db.Runs.SingleAsync(r => r.Id == runId));
        await db.SaveChangesAsync();
    }

    private async Task UpdateSweepAsync(int sweepId, Action<Sweep> change)
    {
        await using var db = await Db.CreateDbContextAsync();
        change(await db.Sweeps.SingleAsync(s => s.Id == sweepId));
        await db.SaveChangesAsync();
    }
}
