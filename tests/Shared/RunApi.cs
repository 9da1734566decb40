using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BlazorForecast;

/// <summary>Queues a small real training through the API and waits for it to succeed, for tests that need finished runs.</summary>
public static class RunApi
{
    /// <summary>
    /// A small model on the Close column (lookback 20, 3 epochs on CPU) with the given kind, horizon, seed and number
    /// of seeds, visible as given ("Private" or "Team"; the app's default when null).
    /// </summary>
    public static async Task<int> TrainAsync(
        HttpClient client, int datasetId, string name, string kind = "Mlp", int horizon = 3, int seed = 3, string? visibility = null, int seeds = 1)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync("api/runs", new
        {
            datasetId,
            name,
            visibility,
            config = new
            {
                targets = new[] { "Close" },
                lookback = 20,
                horizon,
                model = new { kind, hiddenSize = 16, layers = 1 },
                training = new { maxEpochs = 3, device = "Cpu", seed, seeds },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        for (var i = 0; i < 600; i++)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}")).GetProperty("run").GetProperty("status").GetString();
            if (status == "Succeeded")
            {
                return id;
            }

            Assert.True(status is "Queued" or "Running", $"Run '{name}' ended {status}.");
            await Task.Delay(100);
        }

        throw new TimeoutException($"Run '{name}' did not finish within a minute.");
    }
}
