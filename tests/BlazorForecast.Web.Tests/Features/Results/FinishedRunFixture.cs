using System.Net.Http.Json;
using System.Text.Json;

namespace BlazorForecast.Web.Tests.Features.Results;

/// <summary>The real app over a real SQLite file with the demo dataset and one small real training (MLP, horizon 3) finished.</summary>
public sealed class FinishedRunFixture : IAsyncLifetime
{
    public ForecastAppFactory App { get; } = new(seedDemo: true);

    public HttpClient Client { get; private set; } = default!;

    public int DatasetId { get; private set; }

    public int RunId { get; private set; }

    public async Task InitializeAsync()
    {
        Client = App.CreateClient();
        DatasetId = (await Client.GetFromJsonAsync<JsonElement>("/api/datasets"))[0].GetProperty("id").GetInt32();
        RunId = await RunApi.TrainAsync(Client, DatasetId, "results run");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
