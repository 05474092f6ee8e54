"""Reference anomaly detector in Open3D: register each test scan onto a template, score by distance.

Run side by side with ad3d on the same data (needs `pip install open3d numpy scipy`):

    python3 Scripts/experiments/reference_icp.py ROOT OUT_DIR [--global multistart|ransac|none] [--starts N]
                                     [--categories a,b] [--object max|top1]
    ad3d eval --scores OUT_DIR ROOT

Method, per category of ROOT (ROOT/CATEGORY/{train,test,gt}):
  1. Template: the first training scan is the reference frame; every other training scan is
     registered onto it with the same global registration as the test scans (step 2). The
     registered scans are pooled. A fine copy (voxel diag/400) is kept for scoring; a pyramid of
     coarser copies (voxel diag/40, diag/100, diag/250, normals estimated) drives ICP. `diag` is
     the diagonal of the first training scan's bounding box along its principal axes.
  2. Registration of a test scan onto the template:
     - multistart (default): N initial rotations spread evenly over SO(3) (identity plus a
       super-Fibonacci spiral), each applied about the scan's centroid placed on the template's
       centroid, each refined by point-to-plane ICP at the coarsest level; the best few (by
       trimmed residual) are refined coarse-to-fine and the one with the lowest trimmed residual
       wins. Trimmed residual = mean distance of the best-fitting 90% of the scan's points to
       the nearest template point, so a defect or a missing region does not decide the pose.
     - ransac: FPFH features (voxel diag/50) matched by Open3D's
       registration_ransac_based_on_feature_matching, then the same coarse-to-fine ICP.
     - none: identity start, coarse-to-fine ICP only (for scans already in the template's pose).
  3. Point score = distance of each registered test point to the nearest point of the fine
     template (KD-tree). Object score = max point score (--object max, default) or the mean of
     the top 1% point scores (--object top1).

Output (what `ad3d eval --scores OUT_DIR ROOT` reads): OUT_DIR/CATEGORY/SCAN.txt, one score per
line in the scan's point order, and OUT_DIR/CATEGORY/objects.csv ("scan,score"). Also
OUT_DIR/CATEGORY/registration.csv: per scan the estimated 4x4 transform (scan -> template frame,
row-major), trimmed residual, time, and - where ROOT/CATEGORY/manifest.json (from `ad3d synth`)
records the true poses - the rotation/translation error against the truth, and whether the
registration is right ("exact": within 5 degrees and 2% of the diagonal), right up to a symmetry
of the part ("equivalent": mean point-to-plane distance to the first training scan at most 1.15 x
that in the true pose) or wrong. The manifest is read only for this check, never to register.

Deterministic: fixed seeds (o3d.utility.random.seed(0) before every scan), fixed start rotations.
Progress and per-scan timings go to stderr.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import open3d as o3d
from scipy.spatial import cKDTree

reg = o3d.pipelines.registration

# ICP pyramid: (voxel size, max correspondence distance, iterations), as fractions of the diagonal.
LEVELS = [(1 / 40, 1 / 10, 40), (1 / 100, 1 / 40, 30), (1 / 250, 1 / 100, 30)]
SCORE_VOXEL = 1 / 400          # voxel of the fine template used for scoring
RANSAC_VOXEL = 1 / 50          # voxel of the FPFH features for --global ransac
PLAUSIBLE = 2.0                # multistart: refine only coarse poses within this x the best residual
TRIM = 0.9                     # fraction of points kept by the trimmed residual
EXACT_ROTATION_DEG = 5.0       # pose check: "exact" within this rotation error ...
EXACT_TRANSLATION = 0.02       # ... and this translation error (fraction of the diagonal)
EQUIVALENT_RATIO = 1.15        # pose check: "equivalent" if the scan fits this well relative to the true pose


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Input


def read_points(path):
    """The scan's points (N x 3, float64) in file order; checks Open3D dropped none."""
    cloud = o3d.io.read_point_cloud(path, remove_nan_points=False, remove_infinite_points=False)
    points = np.asarray(cloud.points, dtype=np.float64)
    expected = pcd_point_count(path)
    if expected is not None and expected != len(points):
        raise SystemExit(f"{path}: header says {expected} points, Open3D read {len(points)}")
    if len(points) == 0:
        raise SystemExit(f"{path}: no points")
    return points


def pcd_point_count(path):
    if not path.endswith(".pcd"):
        return None
    with open(path, "rb") as f:
        for _ in range(20):
            line = f.readline().decode("ascii", "replace").split()
            if line and line[0] == "POINTS":
                return int(line[1])
            if line and line[0] == "DATA":
                break
    return None


def scan_files(folder):
    names = sorted(n for n in os.listdir(folder) if n.endswith((".pcd", ".ply")))
    return [(os.path.splitext(n)[0], os.path.join(folder, n)) for n in names]


def cloud_of(points):
    return o3d.geometry.PointCloud(o3d.utility.Vector3dVector(points))


# ---------------------------------------------------------------------------------------------
# Geometry helpers


def start_rotations(n):
    """n rotations spread over SO(3): identity, then a super-Fibonacci spiral (Alexa, CVPR 2022)."""
    rotations = [np.eye(3)]
    m = n - 1
    phi, psi = np.sqrt(2.0), 1.533751168755204288118041
    for i in range(m):
        s = i + 0.5
        r, big_r = np.sqrt(s / m), np.sqrt(1.0 - s / m)
        alpha, beta = 2 * np.pi * s / phi, 2 * np.pi * s / psi
        q = np.array([r * np.sin(alpha), r * np.cos(alpha), big_r * np.sin(beta), big_r * np.cos(beta)])
        rotations.append(quaternion_matrix(q))
    return rotations[:n]


def quaternion_matrix(q):
    x, y, z, w = q / np.linalg.norm(q)
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])


def rigid(rotation, translation):
    t = np.eye(4)
    t[:3, :3], t[:3, 3] = rotation, translation
    return t


def apply(transform, points):
    return points @ transform[:3, :3].T + transform[:3, 3]


def rotation_angle_deg(r):
    return float(np.degrees(np.arccos(np.clip((np.trace(r) - 1) / 2, -1.0, 1.0))))


def same_pose(a, b, centroid, diag):
    """Whether two transforms agree within 3 degrees and, at `centroid`, 1% of the diagonal."""
    delta = a @ np.linalg.inv(b)
    shift = np.linalg.norm(apply(a, centroid[None]) - apply(b, centroid[None]))
    return rotation_angle_deg(delta[:3, :3]) < 3 and shift < 0.01 * diag


def trimmed_residual(points, template, keep=TRIM):
    """Mean point-to-plane distance to the template of the best-fitting `keep` fraction of
    `points` (point-to-plane, so that it measures misfit rather than sampling density)."""
    d = template.plane_distances(points)
    k = max(1, int(keep * len(d)))
    return float(np.partition(d, k - 1)[:k].mean())


# ---------------------------------------------------------------------------------------------
# Template and registration


class Template:
    """A reference shape: a fine point set for scoring plus an ICP pyramid with normals."""

    def __init__(self, points, diag):
        self.diag = diag
        fine = cloud_of(points).voxel_down_sample(SCORE_VOXEL * diag)
        fine.estimate_normals(o3d.geometry.KDTreeSearchParamHybrid(radius=diag / 100, max_nn=30))
        self.points, self.normals = np.asarray(fine.points), np.asarray(fine.normals)
        self.tree = cKDTree(self.points)
        self.centroid = self.points.mean(axis=0)
        self.levels = []
        for voxel, _, _ in LEVELS:
            level = cloud_of(points).voxel_down_sample(voxel * diag)
            level.estimate_normals(o3d.geometry.KDTreeSearchParamHybrid(radius=2.5 * voxel * diag, max_nn=30))
            self.levels.append(level)
        self._features = None

    def plane_distances(self, points):
        """Distance of each point to the tangent plane of its nearest template point."""
        _, index = self.tree.query(points)
        return np.abs(np.einsum("ij,ij->i", points - self.points[index], self.normals[index]))

    def features(self):
        """(cloud, FPFH) at the RANSAC voxel, computed once."""
        if self._features is None:
            self._features = fpfh(self.points, RANSAC_VOXEL * self.diag)
        return self._features


def fpfh(points, voxel):
    cloud = cloud_of(points).voxel_down_sample(voxel)
    cloud.estimate_normals(o3d.geometry.KDTreeSearchParamHybrid(radius=2 * voxel, max_nn=30))
    feature = reg.compute_fpfh_feature(cloud, o3d.geometry.KDTreeSearchParamHybrid(radius=5 * voxel, max_nn=100))
    return cloud, feature


class Registrar:
    def __init__(self, method, starts, refine):
        self.method, self.starts, self.refine = method, starts, refine
        self.rotations = start_rotations(starts)
        self.refined = None  # distinct poses the last multistart refined

    def register(self, points, template):
        """The 4x4 transform taking `points` into the template's frame."""
        o3d.utility.random.seed(0)
        diag = template.diag
        pyramid = [cloud_of(points).voxel_down_sample(voxel * diag) for voxel, _, _ in LEVELS]
        if self.method == "none":
            return self.icp(pyramid, template, np.eye(4), range(len(LEVELS)))
        if self.method == "ransac":
            return self.icp(pyramid, template, self.ransac(points, template), range(len(LEVELS)))
        return self.multistart(points, pyramid, template)

    def icp(self, pyramid, template, transform, levels):
        for i in levels:
            _, max_distance, iterations = LEVELS[i]
            result = reg.registration_icp(
                pyramid[i], template.levels[i], max_distance * template.diag, transform,
                reg.TransformationEstimationPointToPlane(),
                reg.ICPConvergenceCriteria(relative_fitness=1e-6, relative_rmse=1e-6, max_iteration=iterations))
            transform = result.transformation
        return transform

    def multistart(self, points, pyramid, template):
        coarse = np.asarray(pyramid[0].points)
        centroid = points.mean(axis=0)
        candidates = []
        for rotation in self.rotations:
            start = rigid(rotation, template.centroid - rotation @ centroid)
            t = self.icp(pyramid, template, start, [0])
            candidates.append((trimmed_residual(apply(t, coarse), template), t))
        candidates.sort(key=lambda c: c[0])
        # Many starts converge to the same pose: refine the best `refine` distinct ones.
        distinct = []
        for residual, t in candidates:
            if residual > PLAUSIBLE * candidates[0][0]:
                break
            if all(not same_pose(t, u, centroid, template.diag) for _, u in distinct):
                distinct.append((residual, t))
            if len(distinct) == self.refine:
                break
        best = None
        for _, t in distinct:
            t = self.icp(pyramid, template, t, range(1, len(LEVELS)))
            residual = trimmed_residual(apply(t, points), template)
            if best is None or residual < best[0]:
                best = (residual, t)
        self.refined = len(distinct)
        return best[1]

    def ransac(self, points, template):
        voxel = RANSAC_VOXEL * template.diag
        source, source_features = fpfh(points, voxel)
        target, target_features = template.features()
        result = reg.registration_ransac_based_on_feature_matching(
            source, target, source_features, target_features, True, 1.5 * voxel,
            reg.TransformationEstimationPointToPoint(False), 3,
            [reg.CorrespondenceCheckerBasedOnEdgeLength(0.9), reg.CorrespondenceCheckerBasedOnDistance(1.5 * voxel)],
            reg.RANSACConvergenceCriteria(100000, 0.999))
        return result.transformation


def bounding_diagonal(points):
    """Diagonal of the bounding box along the principal axes (independent of the scan's pose)."""
    centred = points - points.mean(axis=0)
    _, axes = np.linalg.eigh(centred.T @ centred)
    projected = centred @ axes
    return float(np.linalg.norm(projected.max(axis=0) - projected.min(axis=0)))


def build_template(train, registrar):
    """Training scans registered onto the first, pooled. Returns (template, the first scan alone
    as a template, the transforms)."""
    first = train[0][2]
    diag = bounding_diagonal(first)
    reference = Template(first, diag)
    pooled, transforms = [first], {train[0][0]: np.eye(4)}
    for name, _, points in train[1:]:
        t = registrar.register(points, reference)
        transforms[name] = t
        pooled.append(apply(t, points))
    return Template(np.concatenate(pooled), diag), reference, transforms


# ---------------------------------------------------------------------------------------------
# Pose check against ad3d synth's manifest (diagnostic only)


def manifest_poses(category_dir):
    path = os.path.join(category_dir, "manifest.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        samples = json.load(f)["samples"]
    return {s["name"]: rigid(np.array(s["rotation"], dtype=np.float64).reshape(3, 3),
                             np.array(s["translation"], dtype=np.float64)) for s in samples}


def pose_check(estimate, true_scan_pose, true_reference_pose, points, reference):
    """Compare `estimate` (scan -> template frame) with the truth from the manifest poses
    (written point = R p + t): truth = reference_pose . scan_pose^-1. `reference` is the first
    training scan alone (the template frame, untouched by any registration). Returns the
    rotation error (degrees), the translation error at the scan's centroid (fraction of the
    diagonal), the residual ratio and "exact", "equivalent" or "wrong"."""
    truth = true_reference_pose @ np.linalg.inv(true_scan_pose)
    delta = estimate @ np.linalg.inv(truth)
    rotation_error = rotation_angle_deg(delta[:3, :3])
    c = points.mean(axis=0)[None]
    translation_error = float(np.linalg.norm(apply(estimate, c) - apply(truth, c))) / reference.diag
    # A wrong pose is harmless when the part looks the same in it (a symmetry): then the scan
    # fits the reference as well as in the true pose. Untrimmed, so small features count.
    ratio = (trimmed_residual(apply(estimate, points), reference, keep=1.0)
             / trimmed_residual(apply(truth, points), reference, keep=1.0))
    if rotation_error <= EXACT_ROTATION_DEG and translation_error <= EXACT_TRANSLATION:
        status = "exact"
    elif ratio <= EQUIVALENT_RATIO:
        status = "equivalent"
    else:
        status = "wrong"
    return rotation_error, translation_error, ratio, status


# ---------------------------------------------------------------------------------------------
# Main


def object_score(scores, mode):
    if mode == "max":
        return float(scores.max())
    k = max(1, int(np.ceil(0.01 * len(scores))))
    return float(np.partition(scores, len(scores) - k)[-k:].mean())


def run_category(root, out_root, category, registrar, object_mode):
    category_dir = os.path.join(root, category)
    out_dir = os.path.join(out_root, category)
    os.makedirs(out_dir, exist_ok=True)
    poses = manifest_poses(category_dir)

    started = time.perf_counter()
    train = [(name, path, read_points(path)) for name, path in scan_files(os.path.join(category_dir, "train"))]
    if not train:
        raise SystemExit(f"{category_dir}/train: no scans")
    template, reference, train_transforms = build_template(train, registrar)
    log(f"[{category}] template: {len(train)} training scans, {len(template.points)} points, "
        f"diag {template.diag:.4g}, {time.perf_counter() - started:.2f}s")

    rows, objects, checks = [], [], []
    reference_pose = poses.get(train[0][0]) if poses else None
    if reference_pose is not None:
        for name, _, points in train[1:]:
            if name in poses:
                _, _, _, status = pose_check(train_transforms[name], poses[name], reference_pose, points, reference)
                log(f"[{category}] train {name}: registration {status}")

    tests = scan_files(os.path.join(category_dir, "test"))
    for index, (name, path) in enumerate(tests):
        t0 = time.perf_counter()
        points = read_points(path)
        transform = registrar.register(points, template)
        registered = apply(transform, points)
        scores, _ = template.tree.query(registered)
        seconds = time.perf_counter() - t0
        residual = trimmed_residual(registered, template)

        np.savetxt(os.path.join(out_dir, name + ".txt"), scores, fmt="%.6g")
        objects.append((name, object_score(scores, object_mode)))
        row = {"scan": name, "points": len(points), "seconds": round(seconds, 3),
               "residual": residual / template.diag,
               "transform": " ".join(f"{v:.7g}" for v in transform.ravel())}
        message = f"[{category}] {index + 1}/{len(tests)} {name}: {len(points)} points, {seconds:.2f}s"
        if registrar.method == "multistart":
            message += f" ({registrar.refined} poses refined)"
        if reference_pose is not None and name in poses:
            rot_err, trans_err, ratio, status = pose_check(
                transform, poses[name], reference_pose, points, reference)
            row.update(rotation_error_deg=rot_err, translation_error=trans_err, residual_ratio=ratio, pose=status)
            checks.append(status)
            message += f", pose {status} (rotation error {rot_err:.1f} deg)"
        rows.append(row)
        log(message)

    with open(os.path.join(out_dir, "objects.csv"), "w") as f:
        f.write("scan,score\n")
        for name, score in objects:
            f.write(f"{name},{score:.6g}\n")
    columns = ["scan", "points", "seconds", "residual", "rotation_error_deg", "translation_error",
               "residual_ratio", "pose", "transform"]
    with open(os.path.join(out_dir, "registration.csv"), "w") as f:
        f.write(",".join(columns) + "\n")
        for row in rows:
            f.write(",".join(format_cell(row.get(c, "")) for c in columns) + "\n")

    times = [r["seconds"] for r in rows]
    summary = f"[{category}] {len(tests)} test scans, {np.mean(times):.2f}s per scan (max {np.max(times):.2f}s)"
    if checks:
        summary += ", poses: " + ", ".join(f"{checks.count(s)} {s}" for s in ("exact", "equivalent", "wrong"))
    log(summary)
    return times, checks


def format_cell(value):
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root", help="dataset root: ROOT/CATEGORY/{train,test,gt}")
    parser.add_argument("out", help="score folder to write (OUT/CATEGORY/SCAN.txt, objects.csv)")
    parser.add_argument("--global", dest="method", choices=["multistart", "ransac", "none"], default="multistart",
                        help="global registration (default: multistart)")
    parser.add_argument("--starts", type=int, default=60, help="initial rotations for multistart (default: 60)")
    parser.add_argument("--refine", type=int, default=4,
                        help="best distinct coarse poses refined to full resolution (default: 4)")
    parser.add_argument("--categories", help="comma-separated categories (default: every folder of ROOT with test/)")
    parser.add_argument("--object", dest="object_mode", choices=["max", "top1"], default="max",
                        help="object score: max point score or mean of the top 1%% (default: max)")
    args = parser.parse_args()
    if args.starts < 1 or args.refine < 1:
        parser.error("--starts and --refine must be at least 1")

    if args.categories:
        categories = args.categories.split(",")
    else:
        categories = sorted(c for c in os.listdir(args.root) if os.path.isdir(os.path.join(args.root, c, "test")))
    if not categories:
        raise SystemExit(f"{args.root}: no category folders with test/")

    o3d.utility.set_verbosity_level(o3d.utility.VerbosityLevel.Error)  # RANSAC's mutual-filter chatter
    registrar = Registrar(args.method, args.starts, args.refine)
    all_times, all_checks = [], []
    for category in categories:
        times, checks = run_category(args.root, args.out, category, registrar, args.object_mode)
        all_times += times
        all_checks += checks
    summary = f"done: {len(all_times)} test scans, {np.mean(all_times):.2f}s per scan"
    if all_checks:
        summary += ", poses: " + ", ".join(f"{all_checks.count(s)} {s}" for s in ("exact", "equivalent", "wrong"))
    log(summary)


if __name__ == "__main__":
    main()
