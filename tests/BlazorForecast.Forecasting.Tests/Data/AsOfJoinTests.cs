using BlazorForecast.Forecasting.Data;
using BlazorForecast.Forecasting.Models;
using BlazorForecast.Forecasting.Training;

namespace BlazorForecast.Forecasting.Tests.Data;

/// <summary>As-of alignment of other series to a target's dates, on calendars made by hand.</summary>
public sealed class AsOfJoinTests
{
    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);

    // Monday to Friday between two dates, with the row's number as its Close.
    private static TimeSeriesFrame BusinessDays(DateTime from, DateTime to, params DateTime[] holidays)
    {
        var days = new List<DateTime>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(d))
            {
                days.Add(d);
            }
        }

        return Series(days, days.Select((_, i) => 100.0 + i));
    }

    private static TimeSeriesFrame Series(IReadOnlyList<DateTime> times, IEnumerable<double> values, string column = "Close") =>
        new([.. times], [new SeriesColumn(column, column, ColumnRole.Close, values.ToArray())]);

    private static JoinedInput Input(string name = "Macro", string column = "Close") => new() { Source = "macro.csv", Column = column, Name = name };

    private static double ValueOn(JoinedFrame joined, DateTime day, string name = "Macro") =>
        joined.Frame.Find(name)!.Values[Array.IndexOf(joined.Frame.Timestamps, day)];

    [Fact]
    public void AMonthEndSeries_PublishedFifteenDaysLater_ReachesEachDailyRowOnlyFromItsPublicationDay()
    {
        var target = BusinessDays(Day(2020, 1, 2), Day(2020, 3, 31));
        var macro = Series([Day(2019, 12, 31), Day(2020, 1, 31), Day(2020, 2, 29), Day(2020, 3, 31)], [1.0, 2, 3, 4]);

        var joined = AsOfJoin.Join(target, [(Input() with { Delay = TimeSpan.FromDays(15) }, macro)]);

        // December's value is out at the end of 15 January; January's at the end of 15 February, a Saturday.
        Assert.Equal(Day(2020, 1, 15), joined.Frame.Timestamps[0]);
        Assert.Equal(1, ValueOn(joined, Day(2020, 1, 15)));
        Assert.Equal(1, ValueOn(joined, Day(2020, 2, 14)));
        Assert.Equal(2, ValueOn(joined, Day(2020, 2, 17)));
        Assert.Equal(2, ValueOn(joined, Day(2020, 3, 13)));
        Assert.Equal(3, ValueOn(joined, Day(2020, 3, 16)));
        Assert.Equal(3, ValueOn(joined, Day(2020, 3, 31)));
        var report = joined.Report;
        Assert.Equal((target.RowCount, 9, Day(2020, 1, 15)), (report.TargetRows, report.RowsLost, report.FirstCommonDate));
        var input = Assert.Single(report.Inputs);
        Assert.Equal("published 15 days after each date ends", input.Lag);
        Assert.Equal((9, 4, Day(2020, 1, 15)), (input.RowsWithout, input.Observations, input.FirstRow));
        Assert.Equal((double)(target.RowCount - 9) / target.RowCount, input.Coverage, 12);
        // The target's own columns are kept on the rows that remain.
        Assert.Equal(100.0 + 9, joined.Frame.Find("Close")!.Values[0]);
    }

    [Fact]
    public void AMonthlySeriesDatedAtThePeriodsStart_CountsFromTheMonthsEnd()
    {
        var target = BusinessDays(Day(2020, 1, 2), Day(2020, 3, 31));
        var fred = Series([Day(2020, 1, 1), Day(2020, 2, 1), Day(2020, 3, 1)], [1.0, 2, 3]);

        var joined = AsOfJoin.Join(target, [(Input() with { Dates = InputDates.PeriodStart, Delay = TimeSpan.FromDays(15) }, fred)]);

        // January (dated 1 January) ends with 31 January: out at the end of 15 February, so first on Monday the 17th.
        Assert.Equal(Day(2020, 2, 17), joined.Frame.Timestamps[0]);
        Assert.Equal(1, ValueOn(joined, Day(2020, 3, 13)));
        Assert.Equal(2, ValueOn(joined, Day(2020, 3, 16)));
        Assert.Equal(2, ValueOn(joined, Day(2020, 3, 31)));
        Assert.Equal("published 15 days after each period ends", joined.Report.Inputs[0].Lag);
    }

    [Fact]
    public void AHolidayOnTheInputsExchange_IsCarriedOver_OrDropped_AsChosen()
    {
        var target = BusinessDays(Day(2021, 3, 1), Day(2021, 3, 12));
        var other = BusinessDays(Day(2021, 3, 1), Day(2021, 3, 12), Day(2021, 3, 3), Day(2021, 3, 8), Day(2021, 3, 9), Day(2021, 3, 10));

        var carried = AsOfJoin.Join(target, [(Input(), other)]);
        var dropped = AsOfJoin.Join(target, [(Input() with { Fill = InputGapFill.Drop }, other)]);
        var limited = AsOfJoin.Join(target, [(Input() with { MaxAge = TimeSpan.FromDays(2) }, other)]);

        // Tuesday's value stands in for Wednesday's holiday; the week's gap is carried over the weekend and three days.
        Assert.Equal(target.RowCount, carried.Frame.RowCount);
        Assert.Equal(ValueOn(carried, Day(2021, 3, 2)), ValueOn(carried, Day(2021, 3, 3)));
        Assert.Equal(ValueOn(carried, Day(2021, 3, 5)), ValueOn(carried, Day(2021, 3, 10)));
        Assert.Equal(0, carried.Report.Inputs[0].MedianAgeDays);
        Assert.DoesNotContain(Day(2021, 3, 3), dropped.Frame.Timestamps);
        Assert.Equal(target.RowCount - 4, dropped.Frame.RowCount);
        Assert.Equal("rows without a new value dropped", dropped.Report.Inputs[0].Fill);

        // Friday's value is 5 days old on Wednesday the 10th, 4 on Tuesday, 3 on Monday: past a two-day limit.
        Assert.Equal([Day(2021, 3, 8), Day(2021, 3, 9), Day(2021, 3, 10)], target.Timestamps.Except(limited.Frame.Timestamps));
        Assert.Equal("carried forward up to 2 days", limited.Report.Inputs[0].Fill);
    }

    [Fact]
    public void IntradayValues_ReachADailyRowUpToItsEnd_AndADailyValueReachesAnIntradayRowOnlyOnceItsDayIsOver()
    {
        var daily = BusinessDays(Day(2022, 6, 6), Day(2022, 6, 8));
        var hours = Enumerable.Range(0, 3).SelectMany(d => new[] { 9, 12, 16 }.Select(h => Day(2022, 6, 6).AddDays(d).AddHours(h))).ToList();
        var intraday = Series(hours, hours.Select(h => (double)(h.Day * 100 + h.Hour)));

        var onDaily = AsOfJoin.Join(daily, [(Input(), intraday)]);

        Assert.Equal([616.0, 716, 816], onDaily.Frame.Find("Macro")!.Values);

        var intradayTarget = Series(hours, hours.Select(h => (double)h.Hour));
        var dailyInput = Series([Day(2022, 6, 5), Day(2022, 6, 6), Day(2022, 6, 7)], [5.0, 6, 7]);

        var onIntraday = AsOfJoin.Join(intradayTarget, [(Input(), dailyInput)]);

        // 6 June's value is known at the end of 6 June: the rows of that day still read 5 June's.
        Assert.Equal([5.0, 5, 5, 6, 6, 6, 7, 7, 7], onIntraday.Frame.Find("Macro")!.Values);
    }

    [Fact]
    public void AMarketThatClosesLater_UsedOneRowLater_GivesEachRowThePreviousDaysValue()
    {
        var target = BusinessDays(Day(2023, 1, 2), Day(2023, 1, 13));
        var other = BusinessDays(Day(2023, 1, 2), Day(2023, 1, 13));

        var joined = AsOfJoin.Join(target, [(Input() with { Rows = 1 }, other)]);

        Assert.Equal(target.Timestamps.Skip(1), joined.Frame.Timestamps);
        Assert.Equal(other.Find("Close")!.Values.SkipLast(1), joined.Frame.Find("Macro")!.Values);
        Assert.Equal("used one row later", joined.Report.Inputs[0].Lag);
        // A value is a day old where it is used (three days on a Monday): one day at the median.
        Assert.Equal(1, joined.Report.Inputs[0].MedianAgeDays);
    }

    [Fact]
    public void JoinsThatCannotBeMade_AreRefusedWithEveryReason()
    {
        var target = BusinessDays(Day(2020, 1, 1), Day(2020, 6, 30));
        var monthly = Series([Day(2020, 1, 31), Day(2020, 2, 29), Day(2020, 3, 31), Day(2020, 4, 30)], [1.0, 2, 3, 4]);
        var old = Series([Day(2010, 1, 4), Day(2010, 1, 5)], [1.0, 2]);

        var error = Assert.Throws<JoinException>(() => AsOfJoin.Join(target, [
            (Input("Early") with { Delay = TimeSpan.FromDays(-1) }, monthly),
            (Input("Missing", column: "Rate"), monthly),
            (Input("Old"), old),
            (Input("Sparse") with { Fill = InputGapFill.Drop }, monthly),
            (Input("Close"), monthly),
            (Input("Twice"), monthly),
            (Input("twice"), monthly),
        ]));

        Assert.Equal(
        [
            "Input 'Early' has a negative lag: it would read values before they were published.",
            "Input 'Missing': its series has no column 'Rate'. Columns: Close.",
            "Input 'Old' has no dates in common with the target: it runs 2010-01-04 to 2010-01-05, the target 2020-01-01 to 2020-06-30.",
            "Input 'Sparse' is published every 30.0 days and the target has a row every 1.0 days: dropping rows without a new value would drop most of them. Carry its values forward (with a limit on their age) instead.",
            "Two inputs are named 'Twice'; give each its own name.",
            "Input 'Close' has the name of one of the target's columns; give it another.",
        ], error.Problems);

        var none = Assert.Throws<JoinException>(() => AsOfJoin.Join(target, [(Input() with { Delay = TimeSpan.FromHours(12), MaxAge = TimeSpan.FromHours(1) }, monthly)]));
        Assert.Equal($"No row of the target has a value from every input: 'Macro' covers 0 of {target.RowCount:N0} rows.", Assert.Single(none.Problems));
    }

    [Theory]
    [InlineData(InputDates.PeriodEnd, 0, 0, InputGapFill.CarryForward)]
    [InlineData(InputDates.PeriodEnd, 15, 0, InputGapFill.CarryForward)]
    [InlineData(InputDates.PeriodStart, 10, 0, InputGapFill.CarryForward)]
    [InlineData(InputDates.PeriodEnd, 0, 2, InputGapFill.Drop)]
    [InlineData(InputDates.PeriodEnd, 3, 1, InputGapFill.CarryForward)]
    public void ChangingEveryInputValueAfterAnOrigin_ChangesNoRowUpToIt(InputDates dates, int delayDays, int rows, InputGapFill fill)
    {
        var random = new Random(delayDays * 10 + rows);
        var target = BusinessDays(Day(2019, 1, 1), Day(2020, 12, 31));
        // An irregular input: a value on about two days in three, some at odd hours.
        var times = new List<DateTime>();
        for (var d = Day(2018, 12, 1); d <= Day(2021, 1, 31); d = d.AddDays(1))
        {
            if (random.NextDouble() < 0.67)
            {
                times.Add(random.NextDouble() < 0.2 ? d.AddHours(random.Next(1, 23)) : d);
            }
        }

        var values = times.Select(_ => random.NextDouble()).ToArray();
        var input = Input() with { Dates = dates, Delay = TimeSpan.FromDays(delayDays), Rows = rows, Fill = fill };
        var joined = AsOfJoin.Join(target, [(input, Series(times, values))]);

        foreach (var origin in joined.Frame.Timestamps.Where((_, row) => row % 3 == 0))
        {
            // Every value dated after the origin's day (the row stands for its close), and every value the stated lag keeps
            // unpublished by then.
            var end = AsOfJoin.EndOf(origin);
            var unpublished = times.Select(t => t >= end || (dates == InputDates.PeriodEnd && AsOfJoin.EndOf(t) + input.Delay > end)).ToArray();
            var perturbed = values.Select((v, i) => unpublished[i] ? v + 1000 : v).ToArray();

            var again = AsOfJoin.Join(target, [(input, Series(times, perturbed))]);

            var upTo = Array.IndexOf(joined.Frame.Timestamps, origin) + 1;
            Assert.Equal(joined.Frame.Timestamps.Take(upTo), again.Frame.Timestamps.Take(upTo));
            Assert.Equal(joined.Frame.Find("Macro")!.Values.Take(upTo), again.Frame.Find("Macro")!.Values.Take(upTo));
        }
    }

    [Fact]
    public void ATrainedRun_ForecastsTheSameAtAnOrigin_WhateverTheInputDoesAfterIt()
    {
        var prices = SyntheticMarketData.Generate(420, seed: 3);
        var other = SyntheticMarketData.Generate(420, seed: 4);
        var input = new JoinedInput { Source = "other", Column = "Close", Name = "Other close", As = FeatureKind.LogReturn, Rows = 1 };
        var config = new ForecastConfig
        {
            Targets = ["Close"],
            Transform = TargetTransform.LogReturn,
            Lookback = 10,
            Horizon = 2,
            Inputs = [input],
            Model = new ModelOptions { Kind = ModelKind.Mlp, HiddenSize = 8, Layers = 1 },
            Training = new TrainingOptions { MaxEpochs = 3, Seed = 5, Device = DeviceChoice.Cpu },
        };
        var joined = AsOfJoin.Join(prices, [(input, other)]).Frame;
        var run = ForecastRunner.Run(joined, config);
        var fold = run.Folds[0];
        var origin = fold.TestOrigins[fold.TestOrigins.Length / 2];
        var originTime = joined.Timestamps[origin];
        var close = other.Find("Close")!;
        var changed = new TimeSeriesFrame(other.Timestamps,
            [close with { Values = close.Values.Select((v, i) => other.Timestamps[i] > originTime ? v * 3 : v).ToArray() }]);

        var rerun = ForecastRunner.Run(AsOfJoin.Join(prices, [(input, changed)]).Frame, config);

        Assert.Contains(fold.Importance, i => i.Feature == "Other close log return");
        // Up to the origin the forecasts agree to the last digits multi-threaded float sums leave; after it they move.
        var upTo = Array.IndexOf(fold.TestOrigins, origin) + 1;
        Assert.True(LargestRelativeGap(fold.TestForecasts.Take(upTo), rerun.Folds[0].TestForecasts.Take(upTo)) < 1e-7);
        Assert.True(LargestRelativeGap(fold.TestForecasts.Skip(upTo + 1), rerun.Folds[0].TestForecasts.Skip(upTo + 1)) > 1e-4);
    }

    private static double LargestRelativeGap(IEnumerable<double[][]> first, IEnumerable<double[][]> second) =>
        first.Zip(second, (a, b) => a.Zip(b, (x, y) => x.Zip(y, (p, q) => Math.Abs(p - q) / Math.Abs(p)).Max()).Max()).Max();
}
