namespace BlazorForecast.Forecasting.Data;

/// <summary>Order statistics in linear time (quickselect), so quality checks stay fast on million-row series.</summary>
public static class RobustStatistics
{
    /// <summary>The median of the values (mean of the two middle ones for an even count); the input is not changed.</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }

        var scratch = values.ToArray();
        var mid = scratch.Length / 2;
        var upper = Select(scratch, mid);
        if (scratch.Length % 2 == 1)
        {
            return upper;
        }

        // After selecting index mid, everything before it is <= upper: the lower middle is their maximum.
        var lower = double.MinValue;
        for (var i = 0; i < mid; i++)
        {
            lower = Math.Max(lower, scratch[i]);
        }

        return (lower + upper) / 2;
    }

    // Hoare-style quickselect with median-of-three pivots; leaves the k-th smallest at index k.
    private static double Select(double[] a, int k)
    {
        var left = 0;
        var right = a.Length - 1;
        while (left < right)
        {
            var mid = left + ((right - left) / 2);
            var pivot = MedianOfThree(a[left], a[mid], a[right]);
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
