using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace BlazorForecast;

/// <summary>Queues real trainings through the API and waits for them to finish, for tests that need finished runs.</summary>
public static class RunApi
{
    /// <summary>
    /// A small model on the Close column (lookback 20, 3 epochs on CPU) with the given kind, horizon, seed and number
    /// of seeds, visible as given ("Private" or "Team"; the app's default when null).
    /// </summary>
    public static async Task<int> TrainAsync(
        HttpClient client, int datasetId, string name, string kind = "Mlp", int horizon = 3, int seed = 3, string? visibility = null, int seeds = 1)
    {
        var (id, _) = await TrainAsync(client, new
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
        return id;
    }

    /// <summary>POSTs a run (the body of POST /api/runs) and waits until it has succeeded; its id and GET /api/runs/{id}.</summary>
    public static async Task<(int Id, JsonElement Details)> TrainAsync(HttpClient client, object run)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.PostAsJsonAsync("api/runs", run);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        for (var i = 0; i < 1200; i++)
        {
            var details = await client.GetFromJsonAsync<JsonElement>($"api/runs/{id}");
            var status = details.GetProperty("run").GetProperty("status").GetString();
            if (status == "Succeeded")
            {
                return (id, details);
            }

            Assert.True(status is "Queued" or "Running", $"Run {id} ended {status}: {details.GetProperty("run").GetProperty("statusDetail")}");
            await Task.Delay(50);
        }

        throw new TimeoutException($"Run {id} did not finish within a minute.");
    }
}
