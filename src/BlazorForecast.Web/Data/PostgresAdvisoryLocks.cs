namespace BlazorForecast.Web.Data;

/// <summary>
/// The PostgreSQL advisory locks the app's nodes take, each a key of its own (advisory locks are per database, so two
/// deployments on one server do not meet). Session locks: a node that dies loses them with its connection.
/// </summary>
public static class PostgresAdvisoryLocks
{
    /// <summary>Held while a node migrates the database and seeds a new one, so nodes started together do it once.</summary>
    public const long Initialization = 0x42_46_0001;

    /// <summary>Held by the web node that coordinates sweeps.</summary>
    public const long SweepCoordination = 0x42_46_0002;
}
