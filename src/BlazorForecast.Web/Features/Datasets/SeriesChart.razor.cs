using System.Globalization;
using BlazorForecast.Forecasting.Data;
using BlazorForecast.Web.Components;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.Interop;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.LayoutLib.XAxisLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using Candle = Plotly.Blazor.Traces.Candlestick;

namespace BlazorForecast.Web.Features.Datasets;

/// <summary>
/// Price chart of a dataset: candlesticks when it has OHLC and no single column is chosen, a line otherwise, with
/// volume bars beneath. The server sends at most <see cref="MaxPoints"/> points for the visible range and redraws at
/// full detail as the user zooms in (the browser never receives a million points).
/// </summary>
public sealed partial class SeriesChart
{
    private const string Up = "#26a69a";
    private const string Down = "#ef5350";

    private readonly string _chartId = $"series-chart-{Guid.NewGuid():N}";
    private readonly Config _config = ChartData.Config();
    private PlotlyChart? _chart;
    private IList<ITrace> _data = [];
    private Plotly.Blazor.Layout _layout = new();
    private TimeSeriesFrame? _renderedFrame;
    private string? _renderedColumn;
    private DateTime? _windowStart;
    private DateTime? _windowEnd;
    private bool _subscribed;

    [Parameter, EditorRequired]
    public TimeSeriesFrame Frame { get; set; } = default!;

    [Parameter]
    public SeriesFrequency Frequency { get; set; }

    /// <summary>The column to draw as a line; null draws candlesticks for OHLC data, else the first column.</summary>
    [Parameter]
    public string? Column { get; set; }

    [Parameter]
    public int MaxPoints { get; set; } = 2000;

    /// <summary>How many points the browser was sent for the current view (all traces).</summary>
    public int PointCount { get; private set; }

    public bool IsCandlestick => Column is null && Frame.HasOhlc;

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(Frame, _renderedFrame) || Column != _renderedColumn)
        {
            _renderedFrame = Frame;
            _renderedColumn = Column;
            (_windowStart, _windowEnd) = (null, null);
            Build();
            if (_chart is not null && _subscribed)
            {
                _ = InvokeAsync(() => _chart.React());
            }
        }
    }

    // Plotly.Blazor calls this once the plot exists; subscribing earlier fails because there is no plot to listen on.
    private void OnChartRendered()
    {
        if (_subscribed || _chart is null)
        {
            return;
        }

        _subscribed = true;
        _ = InvokeAsync(async () => await _chart.SubscribeRelayoutEvent());
    }

    private void OnRelayout(RelayoutEventData args)
    {
        var (start, end) = ParseRange(args.XRange);
        if (start == _windowStart && end == _windowEnd)
        {
            return;
        }

        (_windowStart, _windowEnd) = (start, end);
        _ = InvokeAsync(async () =>
        {
            Build();
            StateHasChanged();
            if (_chart is not null)
            {
                await _chart.React();
            }
        });
    }

    private void Build()
    {
        var time = Frame.Timestamps;
        var (from, to) = SeriesDownsampler.Window(time, _windowStart, _windowEnd);
        var traces = new List<ITrace>();
        var volume = Frame.Find(ColumnRole.Volume);
        var hasVolume = volume is not null && Array.Exists(volume.Values, v => v != 0);
        PointCount = 0;

        if (IsCandlestick)
        {
            var candles = SeriesDownsampler.Candles(time, Frame.Find(ColumnRole.Open)!.Values, Frame.Find(ColumnRole.High)!.Values,
                Frame.Find(ColumnRole.Low)!.Values, Frame.Find(ColumnRole.Close)!.Values, from, to, MaxPoints / 2);
            traces.Add(new Candle
            {
                Name = "OHLC",
                X = ChartData.Dates(candles.Time),
                Open = ChartData.Values(candles.Open),
                High = ChartData.Values(candles.High),
                Low = ChartData.Values(candles.Low),
                Close = ChartData.Values(candles.Close),
                Increasing = new Plotly.Blazor.Traces.CandlestickLib.Increasing { Line = new() { Color = Up }, FillColor = Up },
                Decreasing = new Plotly.Blazor.Traces.CandlestickLib.Decreasing { Line = new() { Color = Down }, FillColor = Down },
            });
            PointCount += candles.Time.Length;
        }
        else
        {
            var column = (Column is null ? null : Frame.Find(Column)) ?? Frame.Columns[0];
            var line = SeriesDownsampler.MinMax(time, column.Values, from, to, MaxPoints);
            traces.Add(new Scatter
            {
                Name = column.Name,
                Mode = ModeFlag.Lines,
                X = ChartData.Dates(line.Time),
                Y = ChartData.Values(line.Values),
                Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = "#1e88e5", Width = 1.5m },
            });
            PointCount += line.Time.Length;
        }

        if (hasVolume)
        {
            var bars = SeriesDownsampler.Sums(time, volume!.Values, from, to, MaxPoints / 2);
            traces.Add(new Bar
            {
                Name = "Volume",
                X = ChartData.Dates(bars.Time),
                Y = ChartData.Values(bars.Values),
                YAxis = "y2",
                Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = "rgba(120, 144, 156, 0.55)" },
            });
            PointCount += bars.Time.Length;
        }

        _data = traces;
        _layout = BuildLayout(hasVolume);
    }

    private Plotly.Blazor.Layout BuildLayout(bool hasVolume)
    {
        var xAxis = new XAxis
        {
            Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date,
            RangeSlider = new RangeSlider { Visible = false },
            GridColor = ChartData.GridColor,
        };
        if (Frequency is SeriesFrequency.BusinessDays or SeriesFrequency.Intraday)
        {
            xAxis.RangeBreaks = [new RangeBreak { Bounds = ["sat", "mon"] }];
        }

        var layout = ChartData.Layout(460, legend: false);
        layout.UiRevision = "keep-zoom";
        layout.DragMode = DragModeEnum.Zoom;
        layout.XAxis = [xAxis];
        layout.YAxis =
        [
            new YAxis { Domain = hasVolume ? [0.27, 1.0] : [0.0, 1.0], GridColor = ChartData.GridColor },
            new YAxis { Domain = [0.0, 0.2], Anchor = "x", GridColor = "rgba(128,128,128,0.1)", FixedRange = true },
        ];
        return layout;
    }

    private static (DateTime? Start, DateTime? End) ParseRange(object[]? range)
    {
        if (range is not { Length: 2 })
        {
            return (null, null);
        }

        return DateTime.TryParse(range[0]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            && DateTime.TryParse(range[1]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var end)
            ? (start, end)
            : (null, null);
    }
}
