using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorForecast.Web.Tests.Features.Datasets;

public sealed class StagedUploadSweeperTests : IDisposable
{
    private readonly TestDataFolder _data = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly UploadStaging _staging;

    public StagedUploadSweeperTests() =>
        _staging = new UploadStaging(Options.Create(new BlazorForecastOptions { DataDirectory = _data.Path }), _time);

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task WhileTheAppRuns_UploadsOlderThanSixHoursAreRemoved_YoungerOnesKept()
    {
        var old = Stage(_time.GetUtcNow() - TimeSpan.FromHours(5));
        using var sweeper = new StagedUploadSweeper(_staging, _time, NullLogger<StagedUploadSweeper>.Instance);
        await sweeper.StartAsync(CancellationToken.None);
        Assert.True(File.Exists(old), "Five hours old at start-up: not yet abandoned.");
        var young = Stage(_time.GetUtcNow());

        for (var tick = 0; tick < 3; tick++)
        {
            _time.Advance(StagedUploadSweeper.Interval);
        }

        await Wait.UntilAsync(() => !File.Exists(old), "the sweeper to remove the file");
        Assert.True(File.Exists(young));
        await sweeper.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AtStartUp_AbandonedUploadsAreRemoved()
    {
        var old = Stage(_time.GetUtcNow() - TimeSpan.FromHours(7));
        using var sweeper = new StagedUploadSweeper(_staging, _time, NullLogger<StagedUploadSweeper>.Instance);

        await sweeper.StartAsync(CancellationToken.None);

        await Wait.UntilAsync(() => !File.Exists(old), "the sweeper to remove the file");
        await sweeper.StopAsync(CancellationToken.None);
    }

    private string Stage(DateTimeOffset written)
    {
        var path = _staging.CreatePath();
        File.WriteAllText(path, "Date,Close\n");
        File.SetLastWriteTimeUtc(path, written.UtcDateTime);
        return path;
    }
}
