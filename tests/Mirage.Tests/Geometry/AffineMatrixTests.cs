using Mirage.Geometry;

namespace Mirage.Tests.Geometry;

public class AffineMatrixTests
{
    [Fact]
    public void InverseComposesToIdentity()
    {
        var m = AffineMatrix.Rotation(33) * AffineMatrix.Shift(4, -7) * AffineMatrix.Shear(12) * AffineMatrix.Zoom(0.8, 1.3);
        var id = m * m.Inverse();
        Assert.Equal(1, id.M00, 12); Assert.Equal(0, id.M01, 12); Assert.Equal(0, id.M02, 12);
        Assert.Equal(0, id.M10, 12); Assert.Equal(1, id.M11, 12); Assert.Equal(0, id.M12, 12);
    }

    [Theory]
    [InlineData(CentreConvention.PixelCentre, 10, 7, 4.5, 3.0)]
    [InlineData(CentreConvention.Keras, 10, 7, 5.5, 4.0)]
    public void RotationAboutCentreKeepsTheCentreFixed(CentreConvention centre, int h, int w, double cr, double cc)
    {
        var m = AffineMatrix.FromKeras(90, 0, 0, 0, 1, 1, h, w, centre)!.Value;
        var (r, c) = m.Map(cr, cc);
        Assert.Equal(cr, r, 9);
        Assert.Equal(cc, c, 9);
    }

    [Fact]
    public void NeutralParametersGiveNoMatrix() =>
        Assert.Null(AffineMatrix.FromKeras(0, 0, 0, 0, 1, 1, 5, 5, CentreConvention.Keras));

    [Fact]
    public void ShiftMovesRowsByTxAndColumnsByTy()
    {
        var m = AffineMatrix.FromKeras(0, 3, -2, 0, 1, 1, 9, 9, CentreConvention.PixelCentre)!.Value;
        Assert.Equal((13.0, 8.0), m.Map(10, 10));
    }
}
