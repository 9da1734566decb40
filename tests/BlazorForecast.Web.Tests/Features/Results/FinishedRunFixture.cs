using System.Net;
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
        RunId = await TrainAsync(Client, DatasetId, horizon: 3);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }

    /// <summary>Queues a small MLP run and waits until it succeeds.</summary>
    public static async Task<int> TrainAsync(HttpClient client, int datasetId, int horizon, string name = "results run", int seed = 3)
    {
        var response = await client.PostAsJsonAsync("/api/runs", new
        {
            datasetId,
            name,
            config = new
            {
                targets = new[] { "Close" },
                lookback = 20,
                horizon,
                model = new { kind = "Mlp", hiddenSize = 16, layers = 1 },
                training = new { maxEpochs = 3, device = "Cpu", seed },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        for (var i = 0; i < 600; i++)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}")).GetProperty("run").GetProperty("status").GetString();
            if (status == "Succeeded")
            {
                return id;
            }

            Assert.True(status is "Queued" or "Running", $"The fixture run ended {status}.");
            await Task.Delay(100);
        }

        throw new TimeoutException("The fixture run did not finish within a minute.");
    }
}
