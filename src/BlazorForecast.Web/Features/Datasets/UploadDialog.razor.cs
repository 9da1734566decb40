using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Data;
using BlazorForecast.Web.Features.Team;
using BlazorForecast.Web.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Upload in two steps: the file streams to a staging file with a progress bar, its first rows are inspected, then
/// the user confirms name, date column, target and missing-value policy before the import writes anything.
/// </summary>
public sealed partial class UploadDialog : IDisposable
{
    private const int CopyBufferBytes = 128 * 1024;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    private UploadStage _stage = UploadStage.Choose;
    private string? _error;
    private string? _stagedPath;
    private string _fileName = "";
    private long _fileSize;
    private long _transferred;
    private CsvInspection? _inspection;
    private string _name = "";
    private string? _description;
    private bool? _sharedChoice;
    private string _dateColumn = "";
    private string _target = "";
    private MissingValuePolicy _missingValues = MissingValuePolicy.DropRows;

    private enum UploadStage
    {
        Choose,
        Transferring,
        Confirm,
        Importing,
    }

    [CascadingParameter]
    private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject]
    private CurrentCaller CurrentCaller { get; set; } = default!;

    // The team's default until the uploader flips the switch.
    private bool Shared
    {
        get => _sharedChoice ?? Team.Value.DefaultVisibility == Visibility.Team;
        set => _sharedChoice = value;
    }

    [Inject]
    private IOptions<TeamOptions> Team { get; set; } = default!;

    [Inject]
    private DatasetService Datasets { get; set; } = default!;

    [Inject]
    private UploadStaging Staging { get; set; } = default!;

    [Inject]
    private IOptions<BlazorForecastOptions> Options { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ILogger<UploadDialog> Logger { get; set; } = default!;

    private long MaxUploadBytes => Options.Value.MaxUploadBytes;

    private double TransferPercent => _fileSize == 0 ? 0 : 100.0 * _transferred / _fileSize;

    public void Dispose() => UploadStaging.Discard(_stagedPath);

    private async Task OnFileChosenAsync(InputFileChangeEventArgs args)
    {
        var file = args.File;
        _error = null;
        _inspection = null;
        UploadStaging.Discard(_stagedPath);
        _stagedPath = null;
        _fileName = file.Name;
        _fileSize = file.Size;
        if (file.Size > MaxUploadBytes)
        {
            _error = ByteSize.TooLarge(file.Size, MaxUploadBytes);
            return;
        }

        _stage = UploadStage.Transferring;
        _transferred = 0;
        StateHasChanged();
        try
        {
            _stagedPath = Staging.CreatePath();
            await CopyWithProgressAsync(file, _stagedPath);
            _inspection = await Datasets.InspectAsync(_stagedPath);
            _name = Path.GetFileNameWithoutExtension(file.Name);
            _dateColumn = _inspection.GuessedDateColumn;
            _target = _inspection.GuessedTarget;
            _stage = UploadStage.Confirm;
        }
        catch (DatasetImportException ex)
        {
            Fail(ex.Message);
        }
        catch (IOException ex)
        {
            Fail($"The upload was interrupted: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The browser's stream, the disk or a bug: the dialog stays usable and keeps nothing.
            LogStagingFailed(Logger, file.Name, ex);
            Fail("The file could not be received. Nothing was stored; try again, and tell an admin if it keeps failing.");
        }
        catch (OperationCanceledException)
        {
            Fail("The upload was cancelled. Nothing was stored.");
        }
    }

    private async Task CopyWithProgressAsync(IBrowserFile file, string path)
    {
        var buffer = new byte[CopyBufferBytes];
        var lastUpdate = Time.GetTimestamp();
        await using var source = file.OpenReadStream(MaxUploadBytes);
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferBytes, useAsync: true);
        int read;
        while ((read = await source.ReadAsync(buffer)) > 0)
        {
            await target.WriteAsync(buffer.AsMemory(0, read));
            _transferred += read;
            if (Time.GetElapsedTime(lastUpdate) >= ProgressInterval)
            {
                lastUpdate = Time.GetTimestamp();
                StateHasChanged();
            }
        }
    }

    private void OnDateColumnChanged()
    {
        var targets = _inspection!.TargetCandidates(_dateColumn);
        if (!targets.Contains(_target))
        {
            _target = targets.Count > 0 ? targets[^1] : "";
        }
    }

    private async Task ImportAsync()
    {
        if (_stagedPath is null)
        {
            return;
        }

        _error = null;
        _stage = UploadStage.Importing;
        try
        {
            await using var stream = File.OpenRead(_stagedPath);
            var details = await Datasets.ImportAsync(stream, _fileName, _name, _description, new CsvImportOptions
            {
                DateColumn = _dateColumn,
                Target = _target,
                MissingValues = _missingValues,
            }, await CurrentCaller.GetAsync(), Shared ? Visibility.Team : Visibility.Private);
            Snackbar.Add($"Imported {details.Name}: {details.Summary.Rows:N0} rows.", Severity.Success);
            Dialog.Close(DialogResult.Ok(details.Id));
        }
        catch (DatasetImportException ex)
        {
            _error = ex.Message;
            _stage = UploadStage.Confirm;
        }
        catch (DatasetValidationException ex)
        {
            _error = ex.Message;
            _stage = UploadStage.Confirm;
        }
        catch (RateLimitedException ex)
        {
            _error = ex.Message;
            _stage = UploadStage.Confirm;
        }
        catch (FileNotFoundException)
        {
            Fail($"The uploaded file waited longer than {UploadStaging.Abandoned.TotalHours:0} hours and was removed; choose it again.");
        }
    }

    private void Fail(string message)
    {
        _error = message;
        _stage = UploadStage.Choose;
        UploadStaging.Discard(_stagedPath);
        _stagedPath = null;
    }

    private void Cancel() => Dialog.Cancel();

    [LoggerMessage(Level = LogLevel.Error, Message = "Staging the upload {FileName} failed")]
    private static partial void LogStagingFailed(ILogger logger, string fileName, Exception exception);
}
