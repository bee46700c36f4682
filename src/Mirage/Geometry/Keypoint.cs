namespace Mirage.Geometry;

/// <summary>A point in pixel coordinates (row, column; the centre of pixel (0, 0) is (0, 0)), moved by geometric transforms.</summary>
public readonly record struct Keypoint(double Row, double Col);

/// <summary>An axis-aligned box in pixel coordinates (top, left, bottom, right), moved by geometric transforms.</summary>
public readonly record struct BoundingBox(double Top, double Left, double Bottom, double Right);
