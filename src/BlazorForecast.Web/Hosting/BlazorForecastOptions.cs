namespace BlazorForecast.Web.Hosting;

/// <summary>Settings under "BlazorForecast" in configuration (appsettings, environment BlazorForecast__..., command line).</summary>
public sealed class BlazorForecastOptions
{
    public const string Section = "BlazorForecast";

    /// <summary>Folder for the SQLite file and upload staging, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// The database: SQLite (a file in <see cref="DataDirectory"/>, the default) or PostgreSQL, whose connection string
    /// is ConnectionStrings:Forecast. PostgreSQL is for several web nodes and training workers sharing one database.
    /// </summary>
    public Data.DatabaseProvider Database { get; set; } = Data.DatabaseProvider.Sqlite;

    /// <summary>Largest CSV accepted, in bytes (100 MB by default).</summary>
    public long MaxUploadBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most columns a CSV may have.</summary>
    public int MaxColumns { get; set; } = 64;

    /// <summary>Seed the synthetic demo dataset when the database is created.</summary>
    public bool SeedDemoDataset { get; set; } = true;

    /// <summary>
    /// Addresses of reverse proxies (e.g. "10.0.0.5") whose X-Forwarded-For and X-Forwarded-Proto the app trusts, so
    /// behind a TLS proxy it sees https and the client's address. Loopback is always trusted.
    /// </summary>
    public IReadOnlyList<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. "10.0.0.0/8".</summary>
    public IReadOnlyList<string> KnownProxyNetworks { get; set; } = [];

    /// <summary>
    /// Outside Development, sign-in and antiforgery cookies are sent over https only. A trial on a network without TLS
    /// may turn that off; never on a server others reach over the internet.
    /// </summary>
    public bool AllowCookiesOverHttp { get; set; }

    /// <summary>The most any request but an upload may send (1 MB): JSON bodies, forms, sign-ins.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The largest upload request: the file plus the form fields around it.</summary>
    public long MaxUploadRequestBytes => MaxUploadBytes + (64 * 1024);

    public string DataDirectoryPath => Path.GetFullPath(DataDirectory);

    public string StagingDirectoryPath => Path.Combine(DataDirectoryPath, "staging");
}
