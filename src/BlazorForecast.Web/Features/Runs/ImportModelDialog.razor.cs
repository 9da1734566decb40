using BlazorForecast.Web.Features.Datasets;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BlazorForecast.Web.Features.Runs;

/// <summary>Imports a trained model file as a finished run on a chosen dataset; closes with the new run's id.</summary>
public sealed partial class ImportModelDialog
{
    private IReadOnlyList<DatasetSummary> _datasets = [];
    private IBrowserFile? _file;
    private int? _datasetId;
    private string? _name;
    private bool _busy;
    private IReadOnlyList<string> _problems = [];

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private RunService Runs { get; set; } = default!;

    [Inject]
    private IOptions<BlazorForecastOptions> Options { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _datasets = await Datasets.ListAsync(await CurrentCaller.GetAsync());
        _datasetId = _datasets.Count > 0 ? _datasets[0].Id : null;
    }

    private void OnFileChosen(InputFileChangeEventArgs e)
    {
        _file = e.File;
        _problems = _file.Size > Options.Value.MaxUploadBytes ? [ByteSize.TooLarge(_file.Size, Options.Value.MaxUploadBytes)] : [];
        if (_problems.Count > 0)
        {
            _file = null;
        }
    }

    private async Task ImportAsync()
    {
        _busy = true;
        try
        {
            await using var stream = _file!.OpenReadStream(Options.Value.MaxUploadBytes);
            var id = await Runs.ImportModelAsync(stream, _file.Name, _datasetId!.Value, _name, await CurrentCaller.GetAsync(), Options.Value.MaxUploadBytes);
            Dialog.Close(DialogResult.Ok(id));
        }
        catch (RunValidationException ex)
        {
            _problems = ex.Problems;
        }
        catch (RateLimitedException ex)
        {
            _problems = [ex.Message];
        }
        finally
        {
            _busy = false;
        }
    }
}
