using Mirage.Imaging;

namespace Mirage.Kernels.Geometric;

/// <summary>Mirror flips. <c>dst</c> may be <c>src</c> (in place).</summary>
public static class Flip
{
    /// <summary>Left–right mirror (Keras's flip_horizontal: the column axis).</summary>
    public static void Horizontal<T>(Image<T> src, Image<T> dst) where T : unmanaged
    {
        RequireSameShape(src, dst);
        int width = src.Width, channels = src.Channels;
        for (int y = 0; y < src.Height; y++)
        {
            var s = src.Row(y);
            var d = dst.Row(y);
            if (channels == 1)
            {
                if (!ReferenceEquals(src, dst)) s.CopyTo(d);
                d.Reverse();
                continue;
            }
            // Swap pixel x with pixel width-1-x, channel order kept; the middle pixel of an odd row stays (or is copied).
            for (int x = 0, xr = width - 1; x <= xr; x++, xr--)
            {
                for (int c = 0; c < channels; c++)
                {
                    T left = s[x * channels + c], right = s[xr * channels + c];
                    d[x * channels + c] = right;
                    d[xr * channels + c] = left;
                }
            }
        }
    }

    /// <summary>Top–bottom mirror (Keras's flip_vertical: the row axis).</summary>
    public static void Vertical<T>(Image<T> src, Image<T> dst) where T : unmanaged
    {
        RequireSameShape(src, dst);
        int height = src.Height;
        if (ReferenceEquals(src, dst))
        {
            var tmp = new T[src.RowStride];
            for (int y = 0, yr = height - 1; y < yr; y++, yr--)
            {
                src.Row(y).CopyTo(tmp);
                src.Row(yr).CopyTo(src.Row(y));
                tmp.CopyTo(src.Row(yr));
            }
            return;
        }
        for (int y = 0; y < height; y++) src.Row(height - 1 - y).CopyTo(dst.Row(y));
    }

    private static void RequireSameShape<T>(Image<T> src, Image<T> dst) where T : unmanaged
    {
        if (!src.SameShape(dst))
            throw new ArgumentException($"Flip needs a destination of the source's shape {src.Info}, got {dst.Info}.", nameof(dst));
    }
}
