# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Where a word layer lands in the image, and its ground-truth polygon.

A layer point ``(u, v)`` (pixel-centre coordinates, as in OpenCV) is first
bent along a circular arc (curved text) or only centred (straight text),
then mapped by a homography: horizontal scale, a 3-D tilt of the text plane
seen through a pinhole camera (perspective), an in-plane rotation and a
translation. The same map moves the layer (inverse-warped with
``cv2.remap``) and its ink rectangle, so the polygon encloses the ink.
"""
from typing import Optional, Tuple

import cv2
import numpy as np

# Points per long side of a curved polygon (Total-Text / CTW style).
CURVE_POINTS_PER_SIDE = 7


def _rotation_x(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _rotation_y(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def plane_homography(x_scale: float = 1.0,
                     yaw: float = 0.0,
                     pitch: float = 0.0,
                     rotation: float = 0.0,
                     focal: float = 1.0) -> np.ndarray:
    """Homography of a centred text plane: scale, tilt, then rotation.

    Args:
        x_scale (float): Horizontal stretch (condensed < 1 < expanded).
        yaw (float): Tilt about the vertical axis, radians.
        pitch (float): Tilt about the horizontal axis, radians.
        rotation (float): In-plane rotation, radians, clockwise on screen
            (image y points down).
        focal (float): Focal length of the camera in pixels; the plane lies
            at this distance, so the origin keeps scale 1.

    Returns:
        np.ndarray: (3, 3) homography fixing the origin.
    """
    scale = np.diag([x_scale, 1.0, 1.0])
    tilt = _rotation_x(pitch) @ _rotation_y(yaw)
    project = np.diag([focal, focal, 1.0]) @ np.column_stack(
        [tilt[:, 0], tilt[:, 1], [0.0, 0.0, focal]]) / focal
    c, s = np.cos(rotation), np.sin(rotation)
    rotate = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    return rotate @ project @ scale


class WordGeometry:
    """Maps a word layer into the image and yields its polygon.

    Args:
        ink_box (tuple[int, int, int, int]): ``(x0, y0, x1, y1)`` inclusive
            pixel extent of the ink in the layer.
        homography (np.ndarray): (3, 3) map from the centred (and bent)
            layer frame to the image, without the translation.
        arc_radius (float, optional): Radius of the arc followed by the
            middle line of the ink (None: straight text). It must exceed
            the ink height.
        arc_up (bool): Whether the arc's centre lies above the text (a
            smile, ends higher than the middle) rather than below it (a
            frown).
        margin (float): Padding in layer pixels added around the ink
            rectangle; 1 covers the support of bilinear interpolation.
    """

    def __init__(self,
                 ink_box: Tuple[int, int, int, int],
                 homography: np.ndarray,
                 arc_radius: Optional[float] = None,
                 arc_up: bool = True,
                 margin: float = 1.0) -> None:
        x0, y0, x1, y1 = ink_box
        self.rect = (x0 - margin, y0 - margin, x1 + margin, y1 + margin)
        self.center = ((x0 + x1) / 2, (y0 + y1) / 2)
        if arc_radius is not None and arc_radius <= (y1 - y0) / 2 + margin:
            raise ValueError(f'arc_radius {arc_radius} is smaller than half '
                             f'the ink height {(y1 - y0) / 2}')
        self.arc_radius = arc_radius
        self.sign = 1.0 if arc_up else -1.0
        self.homography = homography
        self.inverse = np.linalg.inv(homography)

    @property
    def is_curved(self) -> bool:
        return self.arc_radius is not None

    def bend(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Layer points to the centred, bent frame.

        Args:
            u (np.ndarray): (N, ) layer x.
            v (np.ndarray): (N, ) layer y.

        Returns:
            np.ndarray: (N, 2) points.
        """
        du, dv = u - self.center[0], v - self.center[1]
        if not self.is_curved:
            return np.stack([du, dv], axis=1)
        radius, sign = self.arc_radius, self.sign
        phi = du / radius
        r = radius + sign * dv
        return np.stack(
            [r * np.sin(phi), -sign * radius + sign * r * np.cos(phi)], axis=1)

    def unbend(self, x: np.ndarray,
               y: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Inverse of :meth:`bend` on the half-plane the text lies in.

        Args:
            x (np.ndarray): Bent-frame x, any shape.
            y (np.ndarray): Bent-frame y, same shape.

        Returns:
            tuple[np.ndarray, np.ndarray]: Layer ``(u, v)``, same shape.
        """
        if not self.is_curved:
            return x + self.center[0], y + self.center[1]
        radius, sign = self.arc_radius, self.sign
        along = sign * (y + sign * radius)
        phi = np.arctan2(x, along)
        r = np.hypot(x, along)
        return (self.center[0] + radius * phi,
                self.center[1] + sign * (r - radius))

    def local_polygon(self) -> np.ndarray:
        """The polygon around the ink, before translation.

        Straight text gives the 4 corners of the ink rectangle; curved text
        gives :data:`CURVE_POINTS_PER_SIDE` points along the top edge (left
        to right) then as many along the bottom edge (right to left). Their
        outer side is circumscribed around the arc so that the chords do
        not cut into the ink.

        Returns:
            np.ndarray: (K, 2) float64 points, clockwise on screen.
        """
        ua, va, ub, vb = self.rect
        if not self.is_curved:
            u = np.array([ua, ub, ub, ua])
            v = np.array([va, va, vb, vb])
            points = self.bend(u, v)
        else:
            n = CURVE_POINTS_PER_SIDE
            radius, sign = self.arc_radius, self.sign
            phis = (np.linspace(ua, ub, n) - self.center[0]) / radius
            step = (ub - ua) / radius / (n - 1)
            r_top = radius + sign * (va - self.center[1])
            r_bottom = radius + sign * (vb - self.center[1])
            if r_top > r_bottom:
                r_top /= np.cos(step / 2)
            else:
                r_bottom /= np.cos(step / 2)
            phi = np.concatenate([phis, phis[::-1]])
            r = np.concatenate([np.full(n, r_top), np.full(n, r_bottom)])
            points = np.stack(
                [r * np.sin(phi), -sign * radius + sign * r * np.cos(phi)],
                axis=1)
        return cv2.perspectiveTransform(points[None], self.homography)[0]

    def warp(self, layer: np.ndarray, offset: Tuple[float, float],
             box: Tuple[int, int, int, int]) -> np.ndarray:
        """Resample a layer mask into an image region.

        Args:
            layer (np.ndarray): (h, w) float32 mask in layer coordinates.
            offset (tuple[float, float]): Image position ``(x, y)`` of the
                layer's ink centre (the translation).
            box (tuple[int, int, int, int]): Image region ``(x0, y0, x1,
                y1)``, end-exclusive.

        Returns:
            np.ndarray: (y1 - y0, x1 - x0) float32 mask.
        """
        x0, y0, x1, y1 = box
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float64)
        points = np.stack([xs - offset[0], ys - offset[1]], axis=-1)
        local = cv2.perspectiveTransform(
            points.reshape(1, -1, 2), self.inverse)[0].reshape(points.shape)
        u, v = self.unbend(local[..., 0], local[..., 1])
        return cv2.remap(
            layer,
            u.astype(np.float32),
            v.astype(np.float32),
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0)
