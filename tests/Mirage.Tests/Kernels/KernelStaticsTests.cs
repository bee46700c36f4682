using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mirage.Kernels.Geometric;

namespace Mirage.Tests.Kernels;

/// <summary>
/// Methods marked AggressiveOptimization are compiled fully optimized at their first call, possibly before their class's
/// static constructor has run; the JIT then cannot fold a static readonly vector into a constant and reloads it through
/// the class-init helper, spilling around it. That made the byte warp ≈ 13 % slower (BilinearSpanAvx2&lt;Channels3&gt;: a
/// 488-byte frame instead of 120) as soon as nothing else touched WarpAffine's statics first. Vector constants in such
/// classes are written inline (Vector256.Create with constants), which the JIT folds whatever the init state.
/// </summary>
public class KernelStaticsTests
{
    private static bool IsVector(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() is var d &&
        (d == typeof(Vector64<>) || d == typeof(Vector128<>) || d == typeof(Vector256<>) || d == typeof(Vector512<>));

    private static bool HasAggressivelyOptimizedMethod(Type t) =>
        t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Any(m => (m.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0);

    [Fact]
    public void No_class_with_aggressively_optimized_methods_keeps_vector_constants_in_static_fields()
    {
        var offenders = typeof(WarpAffine).Assembly.GetTypes()
            .Where(HasAggressivelyOptimizedMethod)
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => !f.IsLiteral && IsVector(f.FieldType))
                .Select(f => $"{t.FullName}.{f.Name}"))
            .ToList();
        Assert.True(offenders.Count == 0,
            "Static vector fields in classes with AggressiveOptimization methods are not folded when the class is not yet " +
            "initialized at JIT time; write them inline with Vector256.Create(...): " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_guard_sees_the_warp_kernels()
    {
        // The rule above is only as good as its reach: the warp's partial class must count as aggressively optimized.
        Assert.True(HasAggressivelyOptimizedMethod(typeof(WarpAffine)));
    }
}
