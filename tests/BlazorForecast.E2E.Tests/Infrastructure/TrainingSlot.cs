using System.Net;
using System.Net.Http.Json;

namespace BlazorForecast.E2E.Tests.Infrastructure;

/// <summary>
/// A long run on the demo dataset that holds the server's one training slot, so runs queued after it wait while a test
/// looks at them (on a fast machine they could otherwise end before the page is interactive): a wide MLP whose thousand
/// epochs outlast any test, yet which stops and is evaluated in moments once the test releases the slot by stopping it.
/// </summary>
public static class TrainingSlot
{
    public static async Task<int> HoldAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync("api/runs", new
        {
            datasetId = 1,
            name = "Holds the slot",
            config = new
            {
                targets = new[] { "Close" },
                lookback = 64,
                horizon = 2,
                model = new { kind = "Mlp", hiddenSize = 256, layers = 2 },
                training = new { maxEpochs = 1000, patience = 1000, device = "Cpu" },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
    }

    public static async Task ReleaseAsync(HttpClient client, int runId)
    {
        ArgumentNullException.ThrowIfNull(client);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"api/runs/{runId}/cancel", null)).StatusCode);
    }
}
