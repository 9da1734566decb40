using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BlazorForecast.Web.Data;

/// <summary>Compact little-endian encodings of series for BLOB columns (see ARCHITECTURE.md, Storage).</summary>
public static class SeriesBlob
{
    public static byte[] FromDoubles(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * sizeof(double)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes);
            return bytes;
        }

        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return bytes;
    }

    public static double[] ToDoubles(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var values = new double[bytes.Length / sizeof(double)];
        if (BitConverter.IsLittleEndian)
        {
            bytes.AsSpan(0, values.Length * sizeof(double)).CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)));
        }

        return values;
    }

    public static byte[] FromTimestamps(DateTime[] timestamps)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        var bytes = new byte[timestamps.Length * sizeof(long)];
        for (var i = 0; i < timestamps.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), timestamps[i].Ticks);
        }

        return bytes;
    }

    public static DateTime[] ToTimestamps(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var timestamps = new DateTime[bytes.Length / sizeof(long)];
        for (var i = 0; i < timestamps.Length; i++)
        {
            timestamps[i] = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * sizeof(long))), DateTimeKind.Utc);
        }

        return timestamps;
    }
}
