namespace Mirage.Kernels.Geometric;

/// <summary>How points outside the input are filled (scipy.ndimage's boundary modes, as Keras uses them).</summary>
public enum FillMode
{
    /// <summary>aaaa|abcd|dddd: repeat the edge pixel.</summary>
    Nearest,
    /// <summary>kkkk|abcd|kkkk: a constant value (cval).</summary>
    Constant,
    /// <summary>dcba|abcd|dcba: mirror, repeating the edge pixel.</summary>
    Reflect,
    /// <summary>abcd|abcd|abcd: periodic (with KerasCompatible, scipy's legacy wrap of period n − 1).</summary>
    Wrap,
}

/// <summary>Resampling order of the affine warp (Keras's interpolation_order).</summary>
public enum Interpolation
{
    /// <summary>Order 0: nearest neighbour.</summary>
    Nearest = 0,
    /// <summary>Order 1: bilinear.</summary>
    Bilinear = 1,
}
