using BlazorForecast.Web.Features.Team;

namespace BlazorForecast.Web.Tests.Features.Team;

public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/runs/3", "/runs/3")]
    [InlineData("/compare?datasetId=1&runs=2,3", "/compare?datasetId=1&runs=2,3")]
    [InlineData("/", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("//evil.example/phish", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("runs/3", "/")]
    [InlineData("/redirect?to=https://evil.example", "/")]
    public void Resolve_KeepsOnlyPathsOnThisSite(string? returnUrl, string expected) =>
        Assert.Equal(expected, LocalReturnUrl.Resolve(returnUrl));
}
