using System.Net;
using System.Text;

namespace BlazorForecast.Web.Tests.Features.Team;

/// <summary>
/// Every API endpoint × role × ownership, against the real app: admin, Ann (the owner, a member), Bob (another
/// member), Vic (a viewer) and an anonymous client, on Ann's shared and private dataset and run. A cell is the status
/// the server must answer; 404 for what the caller may not even see, 403 for what they see but may not change.
/// Destructive calls by those who may make them are exercised in their own tests, not here.
/// </summary>
public sealed class AuthorizationMatrixTests(TeamFixture team) : IClassFixture<TeamFixture>
{
    private const string Anyone = "admin=200 ann=200 bob=200 vic=200 anon=401";
    private const string OwnerOnly = "admin=200 ann=200 bob=404 vic=404 anon=401";

    // Method, path ({R} run, {D} dataset, {S} Ann's shared one, {P} her private one), body, expected on the shared
    // resource, expected on the private one ("-" where the row has no owned resource).
    private static readonly (string Method, string Path, string? Body, string Shared, string Private)[] Rows =
    [
        ("GET", "/api/runs/{R}", null, Anyone, OwnerOnly),
        ("GET", "/api/runs/{R}/predictions", null, Anyone, OwnerOnly),
        ("GET", "/api/runs/{R}/metrics", null, Anyone, OwnerOnly),
        ("GET", "/api/runs/{R}/risk", null, Anyone, OwnerOnly),
        ("GET", "/api/runs/{R}/model", null, Anyone, OwnerOnly),
        ("GET", "/api/runs/{R}/forecast", null, Anyone, OwnerOnly),
        ("PATCH", "/api/runs/{R}", """{"notes":"checked"}""", "admin=200 ann=200 bob=403 vic=403 anon=401", OwnerOnly),
        ("POST", "/api/runs/{R}/cancel", null, "admin=409 ann=409 bob=403 vic=403 anon=401", "admin=409 ann=409 bob=404 vic=404 anon=401"),
        ("POST", "/api/runs/{R}/resume", null, "admin=409 ann=409 bob=403 vic=403 anon=401", "admin=409 ann=409 bob=404 vic=404 anon=401"),
        ("POST", "/api/runs/{R}/retry", null, "bob=403 vic=403 anon=401", "bob=404 vic=404 anon=401"),
        ("DELETE", "/api/runs/{R}", null, "bob=403 vic=403 anon=401", "bob=404 vic=404 anon=401"),
        ("GET", "/api/runs/{R}/share-links", null, "admin=200 ann=200 bob=403 vic=403 anon=401", OwnerOnly),
        ("POST", "/api/runs/{R}/share-links", """{"expiresInDays":1}""", "admin=201 ann=201 bob=403 vic=403 anon=401", "admin=201 ann=201 bob=404 vic=404 anon=401"),
        ("DELETE", "/api/runs/{R}/share-links/1", null, "bob=403 vic=403 anon=401", "bob=404 vic=404 anon=401"),
        ("GET", "/api/datasets/{D}", null, Anyone, OwnerOnly),
        ("GET", "/api/datasets/{D}/csv", null, Anyone, OwnerOnly),
        ("PATCH", "/api/datasets/{D}", """{"description":"checked"}""", "admin=200 ann=200 bob=403 vic=403 anon=401", OwnerOnly),
        ("DELETE", "/api/datasets/{D}", null, "bob=403 vic=403 anon=401", "bob=404 vic=404 anon=401"),
        ("GET", "/api/runs", null, Anyone, "-"),
        ("GET", "/api/datasets", null, Anyone, "-"),
        ("POST", "/api/runs", """{"datasetId":0,"config":{"targets":["Close"]}}""", "vic=403 anon=401", "-"),
        ("POST", "/api/runs/import", "", "vic=403 anon=401", "-"),
        ("POST", "/api/datasets", "", "vic=403 anon=401", "-"),
        ("GET", "/api/me", null, Anyone, "-"),
        ("GET", "/api/activity", null, Anyone, "-"),
        ("GET", "/api/tokens", null, Anyone, "-"),
        ("POST", "/api/tokens", """{"name":"matrix"}""", "admin=201 ann=201 bob=201 vic=201 anon=401", "-"),
        ("GET", "/api/users", null, "admin=200 ann=403 bob=403 vic=403 anon=401", "-"),
        ("POST", "/api/users", """{"email":"x@tests.invalid","displayName":"X","role":"Member","password":"long enough password"}""", "ann=403 bob=403 vic=403 anon=401", "-"),
        ("PATCH", "/api/users/nobody", """{"role":"Viewer"}""", "admin=404 ann=403 bob=403 vic=403 anon=401", "-"),
        ("DELETE", "/api/users/nobody", null, "admin=404 ann=403 bob=403 vic=403 anon=401", "-"),
    ];

    public static TheoryData<string, string, string, string, int> Cells()
    {
        var cells = new TheoryData<string, string, string, string, int>();
        foreach (var (method, path, _, shared, owned) in Rows)
        {
            foreach (var (resource, spec) in new[] { ("shared", shared), ("private", owned) })
            {
                if (spec == "-")
                {
                    continue;
                }

                foreach (var cell in spec.Split(' '))
                {
                    var (actor, status) = (cell.Split('=')[0], int.Parse(cell.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
                    cells.Add(actor, method, path, resource, status);
                }
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Endpoint_AnswersEachRoleAndOwnershipAsTheRulesSay(string actor, string method, string path, string resource, int expected)
    {
        var body = Rows.First(r => r.Method == method && r.Path == path).Body;
        var (run, dataset) = resource == "shared" ? (team.TeamRun, team.TeamDataset) : (team.PrivateRun, team.PrivateDataset);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{R}", run.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{D}", dataset.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = body.Length == 0 ? new MultipartFormDataContent() : new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await team.As(actor).SendAsync(request);

        Assert.True((HttpStatusCode)expected == response.StatusCode,
            $"{actor} {method} {path} on the {resource} resource: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (expected is 401 or 403 or 404)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
