namespace Mirage.Geometry;

/// <summary>A point in pixel coordinates (row, column; the centre of pixel (0, 0) is (0, 0)), moved by geometric transforms.</summary>
/// <param name="Row">Vertical position in pixels, down from the centre of the top row (row first, as in (H, W)).</param>
/// <param name="Col">Horizontal position in pixels, right from the centre of the left column.</param>
public readonly record struct Keypoint(double Row, double Col);

/// <summary>An axis-aligned box in pixel coordinates (top, left, bottom, right), moved by geometric transforms.</summary>
/// <param name="Top">Smallest row, in pixel coordinates (as <see cref="Keypoint.Row"/>).</param>
/// <param name="Left">Smallest column.</param>
/// <param name="Bottom">Largest row; ≥ <c>Top</c> for a box that is not empty.</param>
/// <param name="Right">Largest column; ≥ <c>Left</c> for a box that is not empty.</param>
public readonly record struct BoundingBox(double Top, double Left, double Bottom, double Right);
