namespace BlazorForecast.Web.Tests;

// The suites' [Fact], [Theory], [SkippableFact] and [SkippableTheory] resolve to these (a type of an enclosing namespace
// is found before the global using of Xunit): the same tests, skipped with the reason where PostgreSQL is not installed.

public sealed class FactAttribute : Xunit.FactAttribute
{
    public FactAttribute() => Skip = PostgresTestServer.Unavailable!;
}

public sealed class TheoryAttribute : Xunit.TheoryAttribute
{
    public TheoryAttribute() => Skip = PostgresTestServer.Unavailable!;
}

public sealed class SkippableFactAttribute : Xunit.SkippableFactAttribute
{
    public SkippableFactAttribute() => Skip = PostgresTestServer.Unavailable!;
}

public sealed class SkippableTheoryAttribute : Xunit.SkippableTheoryAttribute
{
    public SkippableTheoryAttribute() => Skip = PostgresTestServer.Unavailable!;
}
