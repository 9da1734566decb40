using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BlazorForecast.Web.Features.Team;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>
/// One app with a team: the configured admin, Ann and Bob (members), Vic (viewer). Ann owns a dataset shared with the
/// team and a private one, and two finished runs on the shared dataset: one shared, one private.
/// </summary>
public sealed class TeamFixture : IAsyncLifetime
{
    public ForecastAppFactory App { get; } = new(seedDemo: true);

    public HttpClient Admin { get; private set; } = default!;

    public HttpClient Ann { get; private set; } = default!;

    public HttpClient Bob { get; private set; } = default!;

    public HttpClient Vic { get; private set; } = default!;

    public HttpClient Anonymous { get; private set; } = default!;

    public Caller AnnCaller { get; private set; } = default!;

    public Caller BobCaller { get; private set; } = default!;

    public Caller VicCaller { get; private set; } = default!;

    public int TeamDataset { get; private set; }

    public int PrivateDataset { get; private set; }

    public int TeamRun { get; private set; }

    public int PrivateRun { get; private set; }

    public HttpClient As(string actor) => actor switch
    {
        "admin" => Admin,
        "ann" => Ann,
        "bob" => Bob,
        "vic" => Vic,
        _ => Anonymous,
    };

    public async Task InitializeAsync()
    {
        Admin = App.CreateClient();
        (Ann, AnnCaller) = await App.CreateClientAsAsync(TeamRole.Member, "Ann");
        (Bob, BobCaller) = await App.CreateClientAsAsync(TeamRole.Member, "Bob");
        (Vic, VicCaller) = await App.CreateClientAsAsync(TeamRole.Viewer, "Vic");
        Anonymous = App.CreateAnonymousClient();

        var demo = (await Admin.GetFromJsonAsync<JsonElement>("/api/datasets"))[0].GetProperty("id").GetInt32();
        var csv = await Admin.GetByteArrayAsync($"/api/datasets/{demo}/csv");
        TeamDataset = await UploadAsync(Ann, csv, "ann shared", "team");
        PrivateDataset = await UploadAsync(Ann, csv, "ann private", "private");
        TeamRun = await RunApi.TrainAsync(Ann, TeamDataset, "ann shared run", visibility: "Team");
        PrivateRun = await RunApi.TrainAsync(Ann, TeamDataset, "ann private run", visibility: "Private");
    }

    public static async Task<int> UploadAsync(HttpClient client, byte[] csv, string name, string visibility)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "prices.csv");
        form.Add(new StringContent(name), "name");
        form.Add(new StringContent(visibility), "visibility");
        using var response = await client.PostAsync("/api/datasets", form);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { Admin, Ann, Bob, Vic, Anonymous })
        {
            client.Dispose();
        }

        await App.DisposeAsync();
    }
}
