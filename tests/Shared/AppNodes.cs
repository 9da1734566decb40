namespace BlazorForecast.Testing;

/// <summary>The web nodes a test started on one shared database, disposed together when the test ends.</summary>
public sealed class AppNodes : IAsyncLifetime
{
    private readonly List<ForecastAppFactory> _nodes = [];

    public ForecastAppFactory Add(ForecastAppFactory node)
    {
        _nodes.Add(node);
        return node;
    }

    /// <summary>Stops a node before the test ends (its leadership, claims and connections go with it).</summary>
    public async Task StopAsync(ForecastAppFactory node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _nodes.Remove(node);
        await node.DisposeAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
