# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
"""Run the tools of a source checkout (``tools/*.py``) as subprocesses."""
import os.path as osp
import subprocess
import sys
import time
from typing import List, Optional, Sequence


class ToolRunner:
    """Builds the command lines of a checkout's tools and runs them.

    A tool runs with the current interpreter, from the checkout's root, in
    the caller's process group (killing that group, e.g. with
    ``os.killpg``, stops the tool too); a tool that fails raises
    :class:`subprocess.CalledProcessError`.

    Args:
        root (str): The root of the checkout, the folder that holds
            ``tools/``.

    Attributes:
        commands (list[list]): ``[step, command]`` of every tool run, in
            order.
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self.commands: List[list] = []

    def command(self,
                tool: str,
                args: Sequence = (),
                amp: bool = False) -> List[str]:
        """The command line of ``tools/<tool>``.

        Args:
            tool (str): The tool's file name, e.g. ``'train.py'``.
            args (Sequence): Its arguments, converted with ``str``.
            amp (bool): Pass ``--amp`` (bfloat16 autocast) first. Defaults to
                False.

        Returns:
            list[str]: The tool's path followed by its arguments.
        """
        return [osp.join(self.root, 'tools', tool)] + \
            (['--amp'] if amp else []) + [str(arg) for arg in args]

    def train_command(self,
                      config: str,
                      work_dir: str,
                      max_iters: int,
                      val_interval: int,
                      cfg_options: Sequence[str] = (),
                      resume: Optional[str] = None,
                      amp: bool = False) -> List[str]:
        """The command line of ``tools/train.py`` for ``max_iters``
        iterations.

        Args:
            config (str): The config file.
            work_dir (str): The work directory of the run.
            max_iters (int): ``train_cfg.max_iters``, the length of the run
                (and of schedules whose ``end`` the config leaves out).
            val_interval (int): ``train_cfg.val_interval``.
            cfg_options (Sequence[str]): More ``--cfg-options``.
            resume (str, optional): ``'auto'`` to resume from the latest
                checkpoint of ``work_dir``, or the checkpoint to resume
                from. Defaults to None (a new run).
            amp (bool): Train in bfloat16 autocast. Defaults to False.

        Returns:
            list[str]: The command line.
        """
        args = [config, '--work-dir', work_dir]
        if resume == 'auto':
            args.append('--resume')
        elif resume is not None:
            args += ['--resume', resume]
        return self.command(
            'train.py',
            args + [
                '--cfg-options', f'train_cfg.max_iters={max_iters}',
                f'train_cfg.val_interval={val_interval}', *cfg_options
            ],
            amp=amp)

    def test_command(self,
                     config: str,
                     checkpoint: str,
                     work_dir: str,
                     metrics_out: str,
                     cfg_options: Sequence[str] = (),
                     show_dir: Optional[str] = None,
                     amp: bool = False) -> List[str]:
        """The command line of ``tools/test.py``.

        Args:
            config (str): The config file.
            checkpoint (str): The checkpoint to score.
            work_dir (str): The work directory of the run.
            metrics_out (str): The JSON file the metrics are written to.
            cfg_options (Sequence[str]): ``--cfg-options``, if any.
            show_dir (str, optional): Where the visualised predictions go,
                relative to ``work_dir``. Defaults to None (none drawn).
            amp (bool): Predict in bfloat16 autocast. Defaults to False.

        Returns:
            list[str]: The command line.
        """
        args = [
            config, checkpoint, '--work-dir', work_dir, '--metrics-out',
            metrics_out
        ]
        if show_dir:
            args += ['--show-dir', show_dir]
        if cfg_options:
            args += ['--cfg-options', *cfg_options]
        return self.command('test.py', args, amp=amp)

    def run(self, command: List[str], step: Optional[str] = None) -> float:
        """Print ``command``, record it and run it.

        Args:
            command (list[str]): A command line of :meth:`command`,
                :meth:`train_command` or :meth:`test_command`.
            step (str, optional): The name printed before the command line
                (``[step] $ ...``) and recorded with it. Defaults to None.

        Returns:
            float: The wall-clock seconds the tool ran.
        """
        self.commands.append([step, command])
        prefix = f'[{step}] ' if step else ''
        print(f'\n{prefix}$ ' + ' '.join(command), flush=True)
        start = time.time()
        subprocess.run([sys.executable] + command, check=True, cwd=self.root)
        return time.time() - start
