using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Training;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Runs;

public sealed class RunPageTests : AppComponentTestContext
{
    private async Task<int> AddRunAsync(RunStatus status, int persistedEpochs)
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n");
        await using var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync();
        var run = new Run { DatasetId = dataset.Id, Name = "watched", ConfigJson = "{}", ModelKind = "Lstm", Status = status, MaxEpochs = 10, EpochsDone = persistedEpochs, CreatedAt = DateTime.UtcNow };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        for (var e = 1; e <= persistedEpochs; e++)
        {
            db.RunEpochs.Add(new RunEpoch { RunId = run.Id, Epoch = e, TrainLoss = 1.0 / e, ValidationLoss = 2.0 / e, LearningRate = 1e-3, DurationSeconds = 2, SamplesPerSecond = 500 });
        }

        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task OpeningMidRun_CatchesUpFromPersistedEpochs()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 3);

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("watched", cut.Find("[data-testid=run-title]").TextContent);
            Assert.Equal("3", cut.Find("[data-testid=loss-chart]").GetAttribute("data-points"));
            Assert.Equal("30", cut.Find("[data-testid=epoch-progress]").GetAttribute("data-value"));
            Assert.Contains("Epoch 3: train 0.3333, validation 0.6667", cut.Find("[data-testid=event-log]").TextContent, StringComparison.Ordinal);
            Assert.Contains("about 14 s (at most)", cut.Markup, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task PushedEvents_MoveProgressAndStatus_WithoutDuplicatingEpochs()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 1);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=run-title]");
        var notifier = Services.GetRequiredService<TrainingNotifier>();

        await notifier.PublishAsync(new RunEpochCompleted(id, 1, 10, 1, 2, 1e-3, 2, 500, true, DateTime.UtcNow));
        await notifier.PublishAsync(new RunEpochCompleted(id, 2, 10, 0.5, 1, 1e-3, 2, 500, true, DateTime.UtcNow));
        await notifier.PublishAsync(new RunBatchProgress(id, 3, 5, 10));
        await notifier.PublishAsync(new RunStatusChanged(id, RunStatus.Succeeded, "Ran all 10 epochs.", "cpu", null));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("2", cut.Find("[data-testid=loss-chart]").GetAttribute("data-points"));
            Assert.Equal("Succeeded", cut.Find("[data-testid=run-status]").TextContent);
            Assert.Equal("Ran all 10 epochs.", cut.Find("[data-testid=run-detail]").TextContent);
            Assert.Empty(cut.FindAll("[data-testid=stop-button]"));
        }, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RapidEpochs_LandInTheLossChartOnceEach_InOrder()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 2);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=run-title]");
        var notifier = Services.GetRequiredService<TrainingNotifier>();

        // Events arrive from the training side, faster than the page renders, with a repeat of a persisted epoch.
        await Task.WhenAll(Enumerable.Range(2, 19).Select(e =>
            notifier.PublishAsync(new RunEpochCompleted(id, e, 30, 1.0 / e, 2.0 / e, 1e-3, 0.1, 500, false, DateTime.UtcNow))));

        cut.WaitForAssertion(() =>
        {
            var traces = cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Data.Cast<Plotly.Blazor.Traces.Scatter>().ToList();
            Assert.All(traces, t => Assert.Equal(Enumerable.Range(1, 20).Select(e => (object)e), t.X));
            Assert.Equal(Enumerable.Range(1, 20).Select(e => (object)(2.0 / e)), traces[1].Y);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SeveralSeeds_TheLivePageSaysWhichSeedTrains_AndDrawsEachTrainingApart()
    {
        var dataset = await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n");
        int id;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            var run = new Run
            {
                DatasetId = dataset.Id, Name = "three seeds", ConfigJson = "{\"training\":{\"seed\":42,\"seeds\":3}}", ModelKind = "Lstm",
                Status = RunStatus.Running, MaxEpochs = 4, Seeds = 3, CreatedAt = DateTime.UtcNow,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            id = run.Id;
            for (var e = 1; e <= 4; e++)
            {
                db.RunEpochs.Add(new RunEpoch { RunId = id, SeedIndex = 0, Epoch = e, TrainLoss = 1.0 / e, ValidationLoss = 2.0 / e, DurationSeconds = 1 });
            }

            await db.SaveChangesAsync();
        }

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=run-title]");
        var notifier = Services.GetRequiredService<TrainingNotifier>();
        await notifier.PublishAsync(new RunStatusChanged(id, RunStatus.Running, null, "cpu", null));
        await notifier.PublishAsync(new RunEpochCompleted(id, 1, 4, 0.9, 1.8, 1e-3, 1, 500, true, DateTime.UtcNow) { SeedIndex = 1, Seed = 43 });
        await notifier.PublishAsync(new RunEpochCompleted(id, 2, 4, 0.8, 1.6, 1e-3, 1, 500, true, DateTime.UtcNow) { SeedIndex = 1, Seed = 43 });
        await notifier.PublishAsync(new RunBatchProgress(id, 3, 1, 4) { SeedIndex = 1, Seed = 43 });

        cut.WaitForAssertion(() =>
        {
            Assert.Contains("seed 2 of 3 (43)", cut.Markup, StringComparison.Ordinal);
            Assert.Equal("Trainings: 1 of 3 done", cut.Find("[data-testid=training-progress-title]").TextContent.Trim());
            Assert.Equal("50", cut.Find("[data-testid=epoch-progress]").GetAttribute("data-value"));
            Assert.Contains("Batches in epoch 3 (seed 2 of 3 (43))", cut.Markup, StringComparison.Ordinal);
            Assert.Contains("seed 43, Epoch 2: train 0.8", cut.Find("[data-testid=event-log]").TextContent, StringComparison.Ordinal);
            var traces = cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Data.Cast<Plotly.Blazor.Traces.Scatter>().ToList();
            Assert.Equal(["seed 42 train", "seed 42", "seed 43 train", "seed 43"], traces.Select(t => t.Name));
            Assert.Equal([1, 2, 3, 4], traces[1].X.Cast<int>());
            Assert.Equal([1, 2], traces[3].X.Cast<int>());
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ARunningRun_ShowsItsDevice_FromTheFirstRender()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 1);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.Device, "cuda"));
        }

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForAssertion(() => Assert.Equal("Device cuda", DeviceTile(cut)));
    }

    [Fact]
    public async Task ARunATrainingWorkerTrains_NamesTheWorker_AndFollowsItWhenAnotherWorkerTakesTheRunOver()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 1);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.Device, "cuda:0").SetProperty(r => r.ClaimedBy, "gpu-box-1"));
        }

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForAssertion(() => Assert.Equal(("cuda:0", "on gpu-box-1"), DeviceAndWorker(cut)));

        await Services.GetRequiredService<TrainingNotifier>().PublishAsync(new RunStatusChanged(id, RunStatus.Running, null, "cpu", null) { Worker = "cpu-box" });

        cut.WaitForAssertion(() => Assert.Equal(("cpu", "on cpu-box"), DeviceAndWorker(cut)));
        Assert.Contains("Running on cpu-box", cut.Find("[data-testid=event-log]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunThatReadsOtherDatasets_NamesEachInputAndWhenItsValuesAreKnown()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 1);
        var config = new Forecasting.Training.ForecastConfig
        {
            Inputs =
            [
                new Forecasting.Data.JoinedInput { Source = "7", Column = "Close", Name = "S&P 500 close", As = Forecasting.Data.FeatureKind.LogReturn, Rows = 1 },
                new Forecasting.Data.JoinedInput { Source = "8", Column = "Rate", Name = "Fed funds", Delay = TimeSpan.FromDays(15), Dates = Forecasting.Data.InputDates.PeriodStart },
            ],
        };
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(config, Forecasting.Training.ForecastJson.Options);
            await db.Runs.Where(r => r.Id == id).ExecuteUpdateAsync(set => set.SetProperty(r => r.ConfigJson, json));
        }

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForAssertion(() =>
        {
            var chips = cut.FindAll("[data-testid=run-inputs-used] .mud-chip");
            Assert.Equal(["S&P 500 close · log return · 1 row later", "Fed funds · value · +15 days"], chips.Select(c => c.TextContent.Trim()));
            Assert.Equal("published 15 days after each period ends; column Rate of dataset 8", chips[1].GetAttribute("title"));
        });
    }

    [Fact]
    public async Task EventsFromManyThreads_WhileThePageRenders_AreAllApplied_InOrder()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 0);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=run-title]");
        var notifier = Services.GetRequiredService<TrainingNotifier>();

        // Epochs in order from one thread (as the worker sends them), batches and status changes from others at once.
        var epochs = Task.Run(async () =>
        {
            for (var e = 1; e <= 300; e++)
            {
                await notifier.PublishAsync(new RunEpochCompleted(id, e, 300, 1.0 / e, 2.0 / e, 1e-3, 0.01, 500, false, DateTime.UtcNow));
            }
        });
        var noise = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await notifier.PublishAsync(i % 50 == 0
                    ? new RunStatusChanged(id, RunStatus.Running, $"thread {t}", "cpu", null)
                    : new RunBatchProgress(id, 1, i, 200));
            }
        }));
        await Task.WhenAll([epochs, .. noise]);
        await notifier.PublishAsync(new RunStatusChanged(id, RunStatus.Cancelled, "Stopped.", "cpu", null));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Cancelled", cut.Find("[data-testid=run-status]").TextContent);
            Assert.Equal("300", cut.Find("[data-testid=loss-chart]").GetAttribute("data-points"));
            var log = cut.Find("[data-testid=event-log]").TextContent;
            Assert.Equal(300, System.Text.RegularExpressions.Regex.Count(log, @"Epoch \d+:"));
            Assert.Equal(16, System.Text.RegularExpressions.Regex.Count(log, "Running: thread"));
        }, TimeSpan.FromSeconds(10));
        var traces = cut.FindComponent<Plotly.Blazor.PlotlyChart>().Instance.Data.Cast<Plotly.Blazor.Traces.Scatter>().ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(e => (object)e), traces[0].X);
    }

    private static (string Device, string Worker) DeviceAndWorker(IRenderedComponent<Bunit.Rendering.ContainerFragment> cut)
    {
        var tile = cut.FindAll(".summary-tile").Single(t => t.TextContent.Contains("Device", StringComparison.Ordinal));
        return (tile.QuerySelector(".mud-typography-subtitle1")!.TextContent, tile.QuerySelectorAll(".mud-typography-caption")[^1].TextContent);
    }

    private static string DeviceTile(IRenderedComponent<Bunit.Rendering.ContainerFragment> cut) =>
        System.Text.RegularExpressions.Regex.Replace(cut.FindAll(".summary-tile").Single(t => t.TextContent.Contains("Device", StringComparison.Ordinal)).TextContent, @"\s+", " ").Trim();

    [Fact]
    public async Task BatchProgress_OfAnEpochThatHasEnded_GivesWayToTheNextEpoch()
    {
        var id = await AddRunAsync(RunStatus.Running, persistedEpochs: 2);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=run-title]");
        var notifier = Services.GetRequiredService<TrainingNotifier>();
        await notifier.PublishAsync(new RunStatusChanged(id, RunStatus.Running, null, "cpu", null));
        await notifier.PublishAsync(new RunBatchProgress(id, 3, 5, 10));
        cut.WaitForAssertion(() => Assert.Contains("Batches in epoch 3", cut.Markup, StringComparison.Ordinal));

        // Epochs 3 to 5 end without a batch event of their own (they were shorter than the throttle).
        for (var e = 3; e <= 5; e++)
        {
            await notifier.PublishAsync(new RunEpochCompleted(id, e, 10, 1.0 / e, 2.0 / e, 1e-3, 0.1, 500, false, DateTime.UtcNow));
        }

        cut.WaitForAssertion(() => Assert.Contains("Batches in epoch 6", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Batches in epoch 3", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_AfterConfirmation_CancelsTheRun()
    {
        var id = await AddRunAsync(RunStatus.Queued, persistedEpochs: 0);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForElement("[data-testid=stop-button]").Click();
        cut.WaitForElement(".mud-message-box");
        cut.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Stop").Click();

        cut.WaitForAssertion(() => Assert.Equal("Cancelled", cut.Find("[data-testid=run-status]").TextContent), TimeSpan.FromSeconds(3));
        Assert.Equal(RunStatus.Cancelled, (await Services.GetRequiredService<RunService>().GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Resume_OnACancelledRunWithACheckpoint_QueuesItAgain()
    {
        var id = await AddRunAsync(RunStatus.Cancelled, persistedEpochs: 2);
        await using (var db = await Services.GetRequiredService<IDbContextFactory<ForecastDbContext>>().CreateDbContextAsync())
        {
            db.RunArtifacts.Add(new RunArtifact { RunId = id, Checkpoint = [1] });
            await db.SaveChangesAsync();
        }

        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=resume-button]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Queued", cut.Find("[data-testid=run-status]").TextContent));
        var run = (await Services.GetRequiredService<RunService>().GetAsync(id))!;
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal("2", cut.Find("[data-testid=loss-chart]").GetAttribute("data-points"));
    }

    [Fact]
    public async Task Resume_WithoutACheckpoint_SaysToRetry()
    {
        var id = await AddRunAsync(RunStatus.Interrupted, persistedEpochs: 0);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));

        cut.WaitForElement("[data-testid=resume-button]").Click();

        cut.WaitForAssertion(() => Assert.Contains("retry it instead", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(RunStatus.Interrupted, (await Services.GetRequiredService<RunService>().GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Retry_AfterConfirmation_StartsOverWithoutTheOldEpochs()
    {
        var id = await AddRunAsync(RunStatus.Succeeded, persistedEpochs: 3);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=retry-button]").Click();

        cut.WaitForElement(".mud-message-box");
        cut.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Retry").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Queued", cut.Find("[data-testid=run-status]").TextContent);
            Assert.Equal("0", cut.Find("[data-testid=loss-chart]").GetAttribute("data-points"));
        });
        Assert.Empty((await Services.GetRequiredService<RunService>().SnapshotAsync(id))!.Epochs);
    }

    [Fact]
    public void UnknownRun_ShowsNotFound()
    {
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), 999));

        cut.WaitForAssertion(() => Assert.Contains("There is no run 999.", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edit_RenamesAnnotatesAndTagsTheRun_AndBadTagsAreExplained()
    {
        var id = await AddRunAsync(RunStatus.Succeeded, persistedEpochs: 1);
        var cut = RenderWithProviders<RunPage>((nameof(RunPage.Id), id));
        cut.WaitForElement("[data-testid=edit-run-button]").Click();

        cut.WaitForElement("input[data-testid=edit-run-tags]").Change("baseline, <b>");
        cut.Find("[data-testid=edit-run-save]").Click();
        cut.WaitForAssertion(() => Assert.Equal("The tag '<b>' may only hold letters, digits, spaces and - _ . /.", cut.Find("[data-testid=edit-run-error]").TextContent));

        cut.Find("input[data-testid=edit-run-name]").Change("reviewed");
        cut.Find("textarea[data-testid=edit-run-notes]").Change("Matches the paper at H=96.");
        cut.Find("input[data-testid=edit-run-tags]").Change("baseline, paper");
        cut.Find("[data-testid=edit-run-save]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("reviewed", cut.Find("[data-testid=run-title]").TextContent);
            Assert.Equal("Matches the paper at H=96.", cut.Find("[data-testid=run-notes]").TextContent);
            Assert.Equal(["baseline", "paper"], cut.FindAll("[data-testid=run-tags] .mud-chip").Select(c => c.TextContent.Trim()));
        });
    }
}
