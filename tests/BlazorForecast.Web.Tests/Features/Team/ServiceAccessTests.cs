using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Runs;
using BlazorForecast.Web.Features.Team;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>
/// The team's rules enforced by the services themselves, whatever page or endpoint calls them: a viewer changes
/// nothing, another member cannot change Ann's work, and someone else's private work does not exist for them.
/// </summary>
public sealed class ServiceAccessTests(TeamFixture team) : IClassFixture<TeamFixture>
{
    private const string NotYours = "Only the run's owner or an admin can change it.";

    private DatasetService Datasets => team.App.Services.GetRequiredService<DatasetService>();

    private RunService Runs => team.App.Services.GetRequiredService<RunService>();

    private RunShareLinks Links => team.App.Services.GetRequiredService<RunShareLinks>();

    private Caller Who(string actor) => actor switch
    {
        "bob" => team.BobCaller,
        "vic" => team.VicCaller,
        _ => team.AnnCaller,
    };

    private int Run(string which) => which == "private" ? team.PrivateRun : team.TeamRun;

    [Fact]
    public async Task AViewer_CannotUpload_ThroughTheService()
    {
        using var csv = new MemoryStream("Date,Close\n2024-01-02,1\n2024-01-03,2\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<DatasetValidationException>(() =>
            Datasets.ImportAsync(csv, "v.csv", "by a viewer", null, new CsvImportOptions(), team.VicCaller));

        Assert.Equal("Viewers cannot upload datasets; ask an admin for the member role.", error.Message);
    }

    [Fact]
    public async Task AViewer_CannotStartOrImportARun_ThroughTheService()
    {
        var config = new BlazorForecast.Forecasting.Training.ForecastConfig { Targets = ["Close"], Lookback = 8, Horizon = 1 };
        using var model = new MemoryStream([1, 2, 3]);

        var start = await Assert.ThrowsAsync<RunValidationException>(() => Runs.CreateAsync(new RunRequest(team.TeamDataset, config), team.VicCaller));
        var import = await Assert.ThrowsAsync<RunValidationException>(() =>
            Runs.ImportModelAsync(model, "m.bfmodel", team.TeamDataset, null, team.VicCaller, 1024 * 1024));

        Assert.Equal(["Viewers cannot start or import runs; ask an admin for the member role."], start.Problems);
        Assert.Equal(start.Problems, import.Problems);
    }

    [Theory]
    [InlineData("bob", "team", "Only the dataset's owner or an admin can change it.")]
    [InlineData("vic", "team", "Only the dataset's owner or an admin can change it.")]
    [InlineData("bob", "private", null)]
    public async Task OtherPeople_CannotChangeAnnsDataset(string actor, string which, string? refusal)
    {
        var dataset = which == "private" ? team.PrivateDataset : team.TeamDataset;

        if (refusal is null)
        {
            Assert.False(await Datasets.UpdateAsync(dataset, Who(actor), "renamed", null));
        }
        else
        {
            var error = await Assert.ThrowsAsync<DatasetValidationException>(() => Datasets.UpdateAsync(dataset, Who(actor), "renamed", null));
            Assert.Equal(refusal, error.Message);
        }

        Assert.StartsWith("ann", (await Datasets.GetAsync(dataset))!.Name, StringComparison.Ordinal);
        Assert.Equal(which == "private" ? $"There is no dataset {dataset}." : "Only the dataset's owner or an admin can delete it.",
            await Datasets.DeleteAsync(dataset, Who(actor)));
    }

    [Theory]
    [InlineData("bob", "team", NotYours)]
    [InlineData("vic", "team", NotYours)]
    [InlineData("bob", "private", "There is no run {0}.")]
    [InlineData("vic", "private", "There is no run {0}.")]
    public async Task OtherPeople_CannotResumeRetryEditDeleteStopOrShareAnnsRun(string actor, string which, string refusal)
    {
        var run = Run(which);
        var expected = string.Format(System.Globalization.CultureInfo.InvariantCulture, refusal, run);
        var caller = Who(actor);

        Assert.Equal(expected, await Runs.ResumeAsync(run, caller));
        Assert.Equal(expected, await Runs.RetryAsync(run, caller));
        Assert.Equal([expected], await Runs.UpdateAsync(run, new RunUpdateRequest(Name: "taken over"), caller));
        Assert.Equal(expected, await Runs.DeleteAsync(run, caller));
        Assert.False(await Runs.CancelAsync(run, caller));
        var (link, problem) = await Links.CreateAsync(run, caller, 7);
        Assert.Null(link);
        Assert.Equal(which == "private" ? expected : "Only the run's owner or an admin can share it.", problem);

        var after = (await Runs.GetAsync(run))!;
        Assert.Equal(RunStatus.Succeeded, after.Status);
        Assert.StartsWith("ann", after.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOwner_MayDoWhatOthersMayNot()
    {
        var (link, problem) = await Links.CreateAsync(team.TeamRun, team.AnnCaller, 7);

        Assert.Null(problem);
        Assert.NotNull(link);
        Assert.Null(await Runs.UpdateAsync(team.TeamRun, new RunUpdateRequest(Notes: "mine"), team.AnnCaller));
        Assert.True(await Links.RevokeAsync(team.TeamRun, link!.Link.Id, team.AnnCaller));
    }

    [Fact]
    public async Task ADataset_WithARunQueued_CannotBeDeleted_EvenByAnAdmin()
    {
        var runs = Runs;
        var queued = await runs.CreateAsync(new RunRequest(team.TeamDataset, new Forecasting.Training.ForecastConfig
        {
            Lookback = 16,
            Training = new Forecasting.Training.TrainingOptions { MaxEpochs = 200 },
        }, "long one"), team.AnnCaller);
        try
        {
            var blocker = await Datasets.DeleteAsync(team.TeamDataset, team.App.AdminCaller);

            Assert.NotNull(blocker);
            Assert.Matches(@"^\d runs? on this dataset (is|are) queued or training; stop (it|them) first\.$", blocker);
            Assert.NotNull(await Datasets.GetAsync(team.TeamDataset));
        }
        finally
        {
            await runs.CancelAsync(queued, team.AnnCaller);
        }
    }
}
