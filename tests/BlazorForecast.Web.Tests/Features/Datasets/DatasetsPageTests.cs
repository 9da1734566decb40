using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Tests.Components;
using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorForecast.Web.Tests.Features.Datasets;

public sealed class DatasetsPageTests : AppComponentTestContext
{
    private IRenderedComponent<ContainerFragment> RenderPage() => RenderWithProviders<DatasetsPage>();

    private static string Collapse(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    [Fact]
    public void NoDatasets_ShowsEmptyStateWithUpload()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("No datasets yet", cut.Find("[data-testid=empty-state]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Datasets_AreListedAndSearchFiltersThem()
    {
        await ImportAsync("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "Apple daily");
        await ImportAsync("Date,Close\n2024-01-02,1\n", "Oracle daily");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=dataset-grid] tbody tr").Count));

        cut.Find("input[data-testid=dataset-search]").Input("oracle");

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-testid=dataset-grid] tbody tr"));
            Assert.Contains("Oracle daily", row.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Upload_ValidFile_ShowsGuessesThenImportsAndOpensTheDataset()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=upload-button]").Click();
        cut.WaitForElement("[data-testid=upload-dialog]");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(
            "Datum;Eröffnung;Schluss;Volumen\n02.01.2024;1,5;1,6;1.000\n03.01.2024;1,6;1,7;2.000\n", "german.csv"));

        cut.WaitForAssertion(() => Assert.Contains("semicolon separated · decimal comma", Collapse(cut.Find("[data-testid=detected-format]").TextContent), StringComparison.Ordinal));
        Assert.Equal("Datum", cut.Find("[data-testid=date-column]").TextContent);
        Assert.Equal("Schluss", cut.Find("[data-testid=target-column]").TextContent);
        Assert.Contains("02.01.2024", cut.Find("[data-testid=sample-rows]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=import-button]").Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Matches(@"/datasets/\d+$", navigation.Uri));
        var stored = Assert.Single(await Datasets.ListAsync(Admin));
        Assert.Equal("german", stored.Name);
        Assert.Equal(2, stored.Rows);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(DataPath, "staging")));
    }

    [Fact]
    public async Task Upload_BadFile_ShowsTheSpecificErrorAndStoresNothing()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=upload-button]").Click();
        cut.WaitForElement("[data-testid=upload-dialog]");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Date,Close\n", "header-only.csv"));

        cut.WaitForAssertion(() => Assert.Equal("The file has a header but no data rows.", cut.Find("[data-testid=upload-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=import-button]"));
        Assert.Empty(await Datasets.ListAsync(Admin));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(DataPath, "staging")));
    }

    [Fact]
    public async Task Upload_FileOverTheLimit_IsRefusedBeforeTransfer()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=upload-button]").Click();
        cut.WaitForElement("[data-testid=upload-dialog]");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[(1024 * 1024) + 1], "big.csv"));

        cut.WaitForAssertion(() => Assert.Equal("The file is 1 MB; the limit is 1 MB.", cut.Find("[data-testid=upload-error]").TextContent));
    }

    [Fact]
    public async Task Upload_ProblemFoundOnImport_KeepsTheFormWithTheMessage()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=upload-button]").Click();
        cut.WaitForElement("[data-testid=upload-dialog]");
        var rows = string.Concat(Enumerable.Range(0, 700).Select(i => $"{new DateTime(2020, 1, 1).AddDays(i):yyyy-MM-dd},{(i == 650 ? "n/a?" : "1")}\n"));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Date,Close\n" + rows, "late-error.csv"));
        cut.WaitForElement("[data-testid=import-button]");

        cut.Find("[data-testid=import-button]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Line 652, column 'Close': 'n/a?' is not a number.", cut.Find("[data-testid=upload-error]").TextContent));
        Assert.NotEmpty(cut.FindAll("[data-testid=import-button]"));
        Assert.Empty(await Datasets.ListAsync(Admin));
    }

    [Fact]
    public async Task Upload_WithoutALineBreak_ShowsTheReasonAndKeepsTheDialogWorking()
    {
        var cut = OpenUploadDialog();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Date," + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"c{i}")), "one-line.csv"));

        cut.WaitForAssertion(() => Assert.Contains("hold no line break", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(StagingPath));
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "good.csv"));
        cut.WaitForElement("[data-testid=import-button]");
        Assert.Empty(await Datasets.ListAsync(Admin));
    }

    [Fact]
    public async Task Upload_WhenTheBrowsersStreamBreaks_SaysSoAndKeepsNothing()
    {
        var cut = OpenUploadDialog();
        var upload = cut.FindComponent<MudFileUpload<IBrowserFile>>();

        await cut.InvokeAsync(() => upload.Instance.OnFilesChanged.InvokeAsync(new InputFileChangeEventArgs([new BreakingBrowserFile()])));

        cut.WaitForAssertion(() => Assert.StartsWith("The file could not be received. Nothing was stored", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(StagingPath));
        Assert.NotEmpty(cut.FindAll("[data-testid=file-upload]"));
    }

    [Fact]
    public void Upload_Cancelled_RemovesTheStagedFile()
    {
        var cut = OpenUploadDialog();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Date,Close\n2024-01-02,1\n2024-01-03,2\n", "good.csv"));
        cut.WaitForElement("[data-testid=import-button]");
        Assert.Single(Directory.EnumerateFiles(StagingPath));

        cut.Find("[data-testid=upload-cancel]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=upload-dialog]")));
        Assert.Empty(Directory.EnumerateFiles(StagingPath));
    }

    private string StagingPath => Path.Combine(DataPath, "staging");

    private IRenderedComponent<ContainerFragment> OpenUploadDialog()
    {
        var cut = RenderPage();
        cut.Find("[data-testid=upload-button]").Click();
        cut.WaitForElement("[data-testid=upload-dialog]");
        return cut;
    }

    /// <summary>A file whose stream fails half-way the way a closed tab's does, with an error the dialog has no case for.</summary>
    private sealed class BreakingBrowserFile : IBrowserFile
    {
        public string Name => "breaks.csv";

        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;

        public long Size => 1000;

        public string ContentType => "text/csv";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) => new BreakingStream();

        private sealed class BreakingStream : MemoryStream
        {
            public BreakingStream()
                : base(System.Text.Encoding.UTF8.GetBytes("Date,Close\n2024-01-02,1\n"))
            {
            }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
                Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new InvalidOperationException("The JS stream was disposed.");
        }
    }
}
